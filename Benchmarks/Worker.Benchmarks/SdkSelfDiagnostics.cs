namespace Observability.Worker.Benchmarks;

/// <summary>
/// The worker's own account of what its OpenTelemetry SDK dropped: the SDK's self-diagnostics (OpenTelemetry .NET 1.21,
/// every <c>OpenTelemetry-*</c> EventSource) written as log files into a directory of this benchmark
/// (<c>OTEL_DOTNET_SELF_DIAGNOSTICS_LOG_DIRECTORY</c>). When the worker shuts down, each batch export processor reports
/// the items it dropped because its queue was full: <c>ExistsDroppedExportProcessorItems</c> (Warning) with the count,
/// or <c>NoDroppedExportProcessorItems</c> (Information) when none, hence <c>OTEL_LOG_LEVEL=info</c>. Export failures
/// (the exporters' own EventSources) are Warning or Error entries of the same files.
/// </summary>
internal sealed class SdkSelfDiagnostics : IDisposable
{
    private const string DropReport = "DroppedExportProcessorItems";
    private const string IgnoredInstrument = "MetricInstrumentIgnored";

    private readonly DirectoryInfo _directory;

    private SdkSelfDiagnostics(DirectoryInfo directory) => _directory = directory;

    /// <summary>The worker's environment variables that turn the file sink on, at Information level.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OTEL_DOTNET_SELF_DIAGNOSTICS_LOG_DIRECTORY"] = _directory.FullName,
        ["OTEL_LOG_LEVEL"] = "info",
    };

    /// <summary>Creates an empty directory for the files.</summary>
    public static SdkSelfDiagnostics Create() => new(Directory.CreateTempSubdirectory("worker-otel-sdk-"));

    /// <summary>Prints what the files say (read them after the worker exited): the processors' drop reports, then the other warnings and errors.</summary>
    public void Print(TextWriter writer)
    {
        var files = _directory.GetFiles("*.log");
        // Each entry starts with "[timestamp][thread][span][level]"; the lines of an exception attached to it do not.
        var entries = files.OrderBy(file => file.Name, StringComparer.Ordinal).SelectMany(file => File.ReadLines(file.FullName))
            .Where(line => line.StartsWith("[20", StringComparison.Ordinal)).ToList();
        var drops = entries.Where(line => line.Contains(DropReport, StringComparison.Ordinal)).ToList();
        var ignoredInstruments = entries.Count(line => line.Contains(IgnoredInstrument, StringComparison.Ordinal));
        var problems = entries.Where(line => !line.Contains(DropReport, StringComparison.Ordinal) && !line.Contains(IgnoredInstrument, StringComparison.Ordinal)
            && (line.Contains("][Warning]", StringComparison.Ordinal) || line.Contains("][Error]", StringComparison.Ordinal)
                || line.Contains("][Critical]", StringComparison.Ordinal))).ToList();
        writer.WriteLine($"The worker's OpenTelemetry SDK self-diagnostics: {files.Length} file(s), {entries.Count} entries at Information and above.");
        writer.WriteLine(drops.Count == 0
            ? "  No drop report: the batch export processors did not shut down (the worker did not stop gracefully?)."
            : "  Drop reports of the batch export processors at shutdown:");
        foreach (var line in drops)
        {
            writer.WriteLine($"    {Message(line)}");
        }

        writer.WriteLine($"  Other warnings and errors: {problems.Count} (besides {ignoredInstruments} {IgnoredInstrument}: instruments of meters the worker does not subscribe to)");
        foreach (var line in problems.Take(5))
        {
            writer.WriteLine($"    {Message(line)}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _directory.Delete(recursive: true);

    // The entry without its timestamp, thread and span columns: "[Level] Source: message {EventId...}".
    private static string Message(string entry)
    {
        var level = entry.IndexOf("][", entry.IndexOf("][", entry.IndexOf("][", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2, StringComparison.Ordinal);
        return level < 0 ? entry : entry[(level + 1)..].Trim();
    }
}
