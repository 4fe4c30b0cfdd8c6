using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The standard pipeline of one client, built once per client name so its circuit breaker and concurrency limiter
/// outlive the handler rotation of <see cref="IHttpClientFactory"/>.
/// </summary>
internal sealed class HttpResiliencePipeline : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    public HttpResiliencePipeline(string clientName, HttpResilienceOptions options, TimeProvider timeProvider,
        ResilienceMetrics metrics, ILogger logger)
    {
        // The unnamed client (CreateClient()) shows as "default" in logs, metrics and messages.
        clientName = clientName.Length == 0 ? "default" : clientName;
        ClientName = clientName;
        Options = options;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.RateLimiter.PermitLimit,
            QueueLimit = options.RateLimiter.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = $"{clientName}-standard",
            TimeProvider = timeProvider,
        };

        builder.AddStrategy(_ => new ConcurrencyLimiterStrategy(_limiter, clientName, options.RateLimiter, metrics, logger));

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "TotalRequestTimeout",
            Timeout = options.TotalRequestTimeout,
            OnTimeout = args =>
            {
                args.Context.Properties.Set(HttpResilienceKeys.TotalTimeoutFired, true);
                metrics.Event(clientName, "total_timeout");
                ResilienceLog.TotalTimedOut(logger, clientName, args.Timeout.TotalMilliseconds);
                return default;
            },
        });

        if (options.Retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(CreateRetry(clientName, options, timeProvider, metrics, logger));
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            Name = "CircuitBreaker",
            FailureRatio = options.CircuitBreaker.FailureRatio,
            SamplingDuration = options.CircuitBreaker.SamplingDuration,
            MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
            BreakDuration = options.CircuitBreaker.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpTransientPredicates.IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                var errorType = HttpTransientPredicates.ErrorType(args.Outcome);
                metrics.Event(clientName, "circuit_opened", errorType);
                ResilienceLog.CircuitOpened(logger, clientName, args.BreakDuration.TotalMilliseconds, errorType);
                return default;
            },
            OnHalfOpened = _ =>
            {
                metrics.Event(clientName, "circuit_half_opened");
                ResilienceLog.CircuitHalfOpened(logger, clientName);
                return default;
            },
            OnClosed = _ =>
            {
                metrics.Event(clientName, "circuit_closed");
                ResilienceLog.CircuitClosed(logger, clientName);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "AttemptTimeout",
            Timeout = options.AttemptTimeout,
            OnTimeout = args =>
            {
                metrics.Event(clientName, "attempt_timeout");
                ResilienceLog.AttemptTimedOut(logger, clientName, args.Timeout.TotalMilliseconds);
                return default;
            },
        });

        Pipeline = builder.Build();
    }

    /// <summary>The client's name as telemetry shows it: <c>default</c> for the unnamed client.</summary>
    public string ClientName { get; }

    public HttpResilienceOptions Options { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public void Dispose() => _limiter.Dispose();

    private static RetryStrategyOptions<HttpResponseMessage> CreateRetry(string clientName, HttpResilienceOptions options,
        TimeProvider timeProvider, ResilienceMetrics metrics, ILogger logger) => new()
    {
        Name = "Retry",
        MaxRetryAttempts = options.Retry.MaxRetryAttempts,
        Delay = options.Retry.BaseDelay,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = options.Retry.UseJitter,
        ShouldHandle = args => ValueTask.FromResult(
            HttpTransientPredicates.IsTransient(args.Outcome)
            && args.Context.Properties.TryGetValue(HttpResilienceKeys.Request, out var request)
            && HttpTransientPredicates.MayRetry(request)),
        DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
            args.Outcome.Result is { } response
            && RetryAfterDelay.TryGet(response, timeProvider.GetUtcNow(), options.Retry.MaxRetryAfterDelay, out var delay)
                ? delay
                : null),
        OnRetry = args =>
        {
            var errorType = HttpTransientPredicates.ErrorType(args.Outcome);
            metrics.Event(clientName, "retry", errorType);
            metrics.RetryDelay(clientName, errorType, args.RetryDelay);
            if (logger.IsEnabled(LogLevel.Warning) && args.Context.Properties.TryGetValue(HttpResilienceKeys.Request, out var request))
            {
                ResilienceLog.Retrying(logger, clientName, request.Method.Method, request.RequestUri?.Host ?? string.Empty,
                    args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, errorType);
            }

            return default;
        },
    };
}
