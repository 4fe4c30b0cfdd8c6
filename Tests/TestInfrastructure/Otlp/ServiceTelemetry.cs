namespace Observability.TestInfrastructure.Otlp;

/// <summary>The <see cref="TelemetryMode"/> of a service a benchmark starts: its command-line names and its environment.</summary>
public static class ServiceTelemetry
{
    /// <summary>The modes' command-line names, for a usage text.</summary>
    public const string ModeNames = "no-export|off|export";

    /// <summary>The mode named <paramref name="value"/> (<see cref="ModeNames"/>).</summary>
    /// <exception cref="ArgumentException">No mode has that name.</exception>
    public static TelemetryMode ParseMode(string value) => value switch
    {
        "no-export" => TelemetryMode.NoExport,
        "off" => TelemetryMode.Off,
        "export" => TelemetryMode.Export,
        _ => throw new ArgumentException($"--telemetry must be no-export, off or export (was '{value}')."),
    };

    /// <summary>The command-line name of <paramref name="mode"/>.</summary>
    public static string Name(TelemetryMode mode) => mode switch
    {
        TelemetryMode.NoExport => "no-export",
        TelemetryMode.Off => "off",
        _ => "export",
    };

    /// <summary>
    /// The service's environment variables for <paramref name="mode"/>: none for <see cref="TelemetryMode.NoExport"/>,
    /// <c>OTEL_SDK_DISABLED=true</c> for <see cref="TelemetryMode.Off"/>; for <see cref="TelemetryMode.Export"/> the
    /// endpoint and protocol of <paramref name="receiver"/>'s <paramref name="transport"/> and the <c>always_on</c> sampler.
    /// </summary>
    public static Dictionary<string, string> Environment(TelemetryMode mode, OtlpCaptureReceiver? receiver, OtlpTransport transport) =>
        mode switch
        {
            TelemetryMode.Off => new() { ["OTEL_SDK_DISABLED"] = "true" },
            TelemetryMode.Export => new(
                (receiver ?? throw new ArgumentNullException(nameof(receiver), "Export needs a receiver.")).ExporterSettings(transport)
                    .Select(setting => KeyValuePair.Create(setting.Key, setting.Value!))
                    .Append(KeyValuePair.Create("OTEL_TRACES_SAMPLER", "always_on")),
                StringComparer.Ordinal),
            _ => new(StringComparer.Ordinal),
        };
}
