using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The outermost step: a <see cref="ConcurrencyLimiter"/> from System.Threading.RateLimiting (Polly.RateLimiting is
/// not in our package registry). Holds one permit for the whole logical request, retries included.
/// </summary>
internal sealed class ConcurrencyLimiterStrategy(
    RateLimiter limiter,
    string clientName,
    HttpRateLimiterOptions options,
    ResilienceMetrics metrics,
    ILogger logger) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        using var lease = await limiter.AcquireAsync(1, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        if (!lease.IsAcquired)
        {
            metrics.Event(clientName, "rate_limiter_rejected");
            ResilienceLog.RateLimited(logger, clientName, options.PermitLimit, options.QueueLimit);
            return Outcome.FromException<HttpResponseMessage>(new HttpRateLimiterRejectedException(string.Create(
                CultureInfo.InvariantCulture,
                $"HTTP client '{clientName}' rejected the request: {options.PermitLimit} requests are in flight and the queue of {options.QueueLimit} is full (raise {HttpResilienceOptions.SectionName}:RateLimiter:PermitLimit or QueueLimit).")));
        }

        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}
