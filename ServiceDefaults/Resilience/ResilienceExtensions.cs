using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The standard resilience pipeline for HTTP clients (rate limiter, total timeout, retry, circuit breaker, attempt
/// timeout) on Polly.Core, named like Microsoft.Extensions.Http.Resilience so code written for Aspire compiles.
/// </summary>
public static class ResilienceExtensions
{
    /// <summary>
    /// Gives every <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/> the standard resilience handler,
    /// configured from <c>HttpClient:Resilience</c> and validated at start-up.
    /// </summary>
    public static TBuilder AddHttpClientResilience<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }
}
