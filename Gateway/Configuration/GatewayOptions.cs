namespace Observability.Gateway.Configuration;

/// <summary>The Gateway's own settings (section <c>Gateway</c>).</summary>
internal sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// <c>Gateway:EventsBaseUrl</c>: the WebSocketHub's base address for <c>eventsUrl</c>. Default: none; the
    /// service-discovery key <c>services:websockethub:http:0</c> is used when set (it wins).
    /// </summary>
    public Uri? EventsBaseUrl { get; set; }

    /// <summary>
    /// <c>Gateway:DashboardUrl</c>: the Aspire dashboard's base address, for trace links (the AppHost injects it in run
    /// mode). Default: none (no link).
    /// </summary>
    public Uri? DashboardUrl { get; set; }

    /// <summary><c>Gateway:MaxRequestBodyBytes</c>: the largest submit body accepted. Default: 65536 (64 KiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
