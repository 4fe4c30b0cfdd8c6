namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// A logical address as Aspire writes it: <c>http://gateway</c>, <c>https+http://gateway</c> (https preferred,
/// http as fall-back), <c>http+https://gateway</c>, or a named endpoint <c>http://_dashboard.gateway</c>.
/// </summary>
internal sealed record ServiceAddress(string ServiceName, string? EndpointName, IReadOnlyList<string> Schemes)
{
    private static readonly string[] Http = ["http"];
    private static readonly string[] Https = ["https"];
    private static readonly string[] HttpsThenHttp = ["https", "http"];
    private static readonly string[] HttpThenHttps = ["http", "https"];

    /// <summary>The configuration section of the service: <c>services:{name}</c>.</summary>
    public string SectionPath => $"services:{ServiceName}";

    /// <summary><see langword="false"/> for a URI whose scheme is not http, https or a combination of both.</summary>
    public static bool TryParse(Uri uri, out ServiceAddress address)
    {
        ArgumentNullException.ThrowIfNull(uri);
        address = null!;
        string[]? schemes = uri.Scheme.ToLowerInvariant() switch
        {
            "http" => Http,
            "https" => Https,
            "https+http" => HttpsThenHttp,
            "http+https" => HttpThenHttps,
            _ => null,
        };
        if (schemes is null || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        var host = uri.Host;
        string? endpointName = null;
        if (host.StartsWith('_') && host.IndexOf('.', StringComparison.Ordinal) is var dot and > 1 && dot < host.Length - 1)
        {
            endpointName = host[1..dot];
            host = host[(dot + 1)..];
        }

        address = new ServiceAddress(host, endpointName, schemes);
        return true;
    }
}
