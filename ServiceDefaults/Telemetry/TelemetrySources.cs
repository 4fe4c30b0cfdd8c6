namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// The ActivitySources and Meters recorded besides the instrumentation's and the one named after the application
/// (<c>IHostEnvironment.ApplicationName</c>, as in Aspire's template).
/// </summary>
internal static class TelemetrySources
{
    /// <summary>Our own sources and meters: the root namespace (renamed by the template) plus a wildcard.</summary>
    public static readonly string Own = typeof(TelemetrySources).Namespace!.Split('.')[0] + ".*";

    /// <summary>ActivitySource names (wildcards allowed). Npgsql's source and meter are added by Aspire.Npgsql's
    /// <c>AddNpgsqlDataSource</c>/<c>AddNpgsqlDbContext</c>, the only way the services reach PostgreSQL.</summary>
    public static readonly string[] ActivitySources = [Own];

    /// <summary>Meter names (wildcards allowed).</summary>
    public static readonly string[] Meters = [Own];
}
