namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// The ActivitySources and Meters recorded besides the instrumentation's and the one named after the application
/// (<c>IHostEnvironment.ApplicationName</c>, as in Aspire's template).
/// </summary>
internal static class TelemetrySources
{
    /// <summary>Our own sources and meters: the root namespace (renamed by the template) plus a wildcard.</summary>
    public static readonly string Own = typeof(TelemetrySources).Namespace!.Split('.')[0] + ".*";

    /// <summary>Npgsql's own source and meter, for the services' hot-path SQL.</summary>
    public const string Npgsql = "Npgsql";

    /// <summary>ActivitySource names (wildcards allowed).</summary>
    public static readonly string[] ActivitySources = [Own, Npgsql];

    /// <summary>Meter names (wildcards allowed).</summary>
    public static readonly string[] Meters = [Own, Npgsql];
}
