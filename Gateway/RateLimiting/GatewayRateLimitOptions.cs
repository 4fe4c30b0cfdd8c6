namespace Observability.Gateway.RateLimiting;

/// <summary>
/// The per-client token bucket guarding the API (section <c>Gateway:RateLimit</c>). A client is its
/// <c>X-Api-Key</c> header when sent, otherwise its IP address.
/// </summary>
internal sealed class GatewayRateLimitOptions
{
    public const string SectionName = "Gateway:RateLimit";

    /// <summary><c>Gateway:RateLimit:TokenLimit</c>: the bucket size (burst). Default: 100.</summary>
    public int TokenLimit { get; set; } = 100;

    /// <summary><c>Gateway:RateLimit:TokensPerPeriod</c>: tokens added each period. Default: 50.</summary>
    public int TokensPerPeriod { get; set; } = 50;

    /// <summary><c>Gateway:RateLimit:ReplenishmentPeriod</c>: how often tokens are added. Default: 1 second.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
