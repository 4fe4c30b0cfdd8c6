namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// The ActivitySources and Meters every service records; a source or meter named after the application
/// (<c>IHostEnvironment.ApplicationName</c>, as in Aspire's template) is recorded too.
/// </summary>
internal static class TelemetrySources
{
    /// <summary>Our own sources and meters: the root namespace (renamed by the template) plus a wildcard.</summary>
    public static readonly string Own = typeof(TelemetrySources).Namespace!.Split('.')[0] + ".*";

    /// <summary>The ASP.NET Core server span source.</summary>
    public const string AspNetCore = "Microsoft.AspNetCore";

    /// <summary>The HttpClient span source and meter.</summary>
    public const string HttpClient = "System.Net.Http";

    /// <summary>ActivitySource names (wildcards allowed).</summary>
    public static readonly string[] ActivitySources = [AspNetCore, HttpClient, "Npgsql", Own];

    /// <summary>Meter names (wildcards allowed).</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.Http.Connections",
        HttpClient,
        "System.Runtime",
        "Npgsql",
        Own,
    ];
}
