using Microsoft.Extensions.Options;
using Observability.Gateway.Configuration;

namespace Observability.Gateway.Apis;

/// <summary>
/// Builds the URLs a client follows: the run's status on the Gateway, the WebSocketHub's <c>/ws</c> address (base from
/// service discovery <c>services:websockethub:http:0</c>, else <c>Gateway:EventsBaseUrl</c>) and its trace in the
/// the Aspire dashboard (<c>Gateway:DashboardUrl</c>, which the AppHost injects in run mode).
/// </summary>
internal sealed class WorkflowLinks(IConfiguration configuration, IOptions<GatewayOptions> options)
{
    public const string EventsDiscoveryKey = "services:websockethub:http:0";

    public static string Status(Guid runId) => $"/api/workflows/{runId}";

    /// <summary>
    /// The WebSocketHub's <c>/ws</c> address (ws:// or wss://, no query: the client names the run or session in its
    /// subscribe frame); null when no hub address is configured.
    /// </summary>
    public string? Events()
    {
        var configured = configuration[EventsDiscoveryKey];
        Uri? baseUrl = Uri.TryCreate(configured, UriKind.Absolute, out var discovered) ? discovered : options.Value.EventsBaseUrl;
        if (baseUrl is null)
        {
            return null;
        }

        var builder = new UriBuilder(baseUrl)
        {
            Scheme = baseUrl.Scheme switch
            {
                "https" => "wss",
                "http" => "ws",
                _ => baseUrl.Scheme,
            },
            Port = baseUrl.IsDefaultPort ? -1 : baseUrl.Port,
            Path = baseUrl.AbsolutePath.TrimEnd('/') + "/ws",
            Query = string.Empty,
            Fragment = string.Empty,
        };
        return builder.Uri.AbsoluteUri;
    }

    /// <summary>
    /// The trace's page in the Aspire dashboard (<c>{dashboard}/traces/detail/{traceId}</c>); null when no dashboard is
    /// configured or the trace id is unknown.
    /// </summary>
    public string? Trace(string? traceId) =>
        options.Value.DashboardUrl is { } dashboard && traceId is not null
            ? $"{dashboard.AbsoluteUri.TrimEnd('/')}/traces/detail/{traceId}"
            : null;
}
