using System.Diagnostics;

namespace Observability.TestInfrastructure.Prometheus;

/// <summary>Runs the real <c>promtool check metrics</c> (Debian package <c>prometheus</c>) on an exposition read from stdin.</summary>
public static class Promtool
{
    /// <summary>
    /// promtool's lint finding for the runtime's semantic-convention gauges dotnet.assembly.count, dotnet.timer.count
    /// and dotnet.process.cpu.count, whose specified Prometheus names end in <c>_count</c>.
    /// </summary>
    public const string CountSuffixLint = "non-histogram and non-summary metrics should not have \"_count\" suffix";

    /// <summary>
    /// True when promtool accepted the exposition: exit 0, or exit 3 (lint findings only, never a format error,
    /// which is exit 1) where every finding is <see cref="CountSuffixLint"/>.
    /// </summary>
    public static bool Accepts(int exitCode, string output) =>
        exitCode == 0
        || (exitCode == 3 && output.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(line => line.EndsWith(CountSuffixLint, StringComparison.Ordinal)));

    /// <summary>Runs <c>promtool check metrics</c> with the exposition on stdin; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("promtool")
        {
            ArgumentList = { "check", "metrics" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("promtool did not start.");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.StandardInput.WriteAsync(exposition.AsMemory(), cts.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, (await stdout) + (await stderr));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
