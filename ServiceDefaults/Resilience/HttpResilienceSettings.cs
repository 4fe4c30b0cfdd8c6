using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// Where the standard resilience handler of every <see cref="HttpClient"/> reads its settings: the package's
/// <c>HttpStandardResilienceOptions</c> (<c>Retry</c>, <c>CircuitBreaker</c>, <c>AttemptTimeout:Timeout</c>,
/// <c>TotalRequestTimeout:Timeout</c>, <c>RateLimiter</c>) bound from <c>HttpClient:Resilience</c>, then overlaid by
/// <c>HttpClient:Resilience:{client name}</c>. The package validates them at start.
/// </summary>
public static class HttpResilienceSettings
{
    /// <summary>The section every client reads: <c>HttpClient:Resilience</c>.</summary>
    public const string SectionName = "HttpClient:Resilience";

    /// <summary>Binds <c>HttpClient:Resilience</c>, then <c>HttpClient:Resilience:{clientName}</c>, onto <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, string clientName, HttpStandardResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(SectionName).Bind(options);
        if (!string.IsNullOrEmpty(clientName))
        {
            configuration.GetSection($"{SectionName}:{clientName}").Bind(options);
        }
    }
}
