using System.Globalization;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>Checks ranges and the relations between the steps; every message names the configuration key.</summary>
internal sealed class HttpResilienceOptionsValidator : IValidateOptions<HttpResilienceOptions>
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinBreakerWindow = TimeSpan.FromMilliseconds(500);

    public ValidateOptionsResult Validate(string? name, HttpResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = string.IsNullOrEmpty(name) ? HttpResilienceOptions.SectionName : $"{HttpResilienceOptions.SectionName}:{name}";
        var failures = new List<string>();

        void Check(bool valid, string key, string rule, object value)
        {
            if (!valid)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}:{key} {rule} (was {value})."));
            }
        }

        var rateLimiter = options.RateLimiter;
        Check(rateLimiter.PermitLimit >= 1, "RateLimiter:PermitLimit", "must be at least 1", rateLimiter.PermitLimit);
        Check(rateLimiter.QueueLimit >= 0, "RateLimiter:QueueLimit", "must be at least 0", rateLimiter.QueueLimit);

        Check(options.TotalRequestTimeout >= MinTimeout && options.TotalRequestTimeout <= MaxTimeout,
            "TotalRequestTimeout", "must be between 00:00:00.010 and 1.00:00:00", options.TotalRequestTimeout);
        Check(options.AttemptTimeout >= MinTimeout && options.AttemptTimeout <= MaxTimeout,
            "AttemptTimeout", "must be between 00:00:00.010 and 1.00:00:00", options.AttemptTimeout);
        Check(options.AttemptTimeout < options.TotalRequestTimeout, "AttemptTimeout",
            $"must be less than {prefix}:TotalRequestTimeout ({options.TotalRequestTimeout}), or no retry could ever run",
            options.AttemptTimeout);

        var retry = options.Retry;
        Check(retry.MaxRetryAttempts is >= 0 and <= 10, "Retry:MaxRetryAttempts", "must be between 0 and 10", retry.MaxRetryAttempts);
        Check(retry.BaseDelay >= TimeSpan.Zero && retry.BaseDelay <= TimeSpan.FromHours(1),
            "Retry:BaseDelay", "must be between 00:00:00 and 01:00:00", retry.BaseDelay);
        Check(retry.MaxRetryAfterDelay >= TimeSpan.Zero && retry.MaxRetryAfterDelay <= TimeSpan.FromHours(1),
            "Retry:MaxRetryAfterDelay", "must be between 00:00:00 and 01:00:00", retry.MaxRetryAfterDelay);

        var breaker = options.CircuitBreaker;
        Check(breaker.FailureRatio is > 0 and <= 1, "CircuitBreaker:FailureRatio", "must be greater than 0 and at most 1", breaker.FailureRatio);
        Check(breaker.MinimumThroughput >= 2, "CircuitBreaker:MinimumThroughput", "must be at least 2", breaker.MinimumThroughput);
        Check(breaker.SamplingDuration >= MinBreakerWindow && breaker.SamplingDuration <= MaxTimeout,
            "CircuitBreaker:SamplingDuration", "must be between 00:00:00.500 and 1.00:00:00", breaker.SamplingDuration);
        Check(breaker.SamplingDuration >= 2 * options.AttemptTimeout, "CircuitBreaker:SamplingDuration",
            $"must be at least twice {prefix}:AttemptTimeout ({options.AttemptTimeout}) so a window sees whole attempts",
            breaker.SamplingDuration);
        Check(breaker.BreakDuration >= MinBreakerWindow && breaker.BreakDuration <= MaxTimeout,
            "CircuitBreaker:BreakDuration", "must be between 00:00:00.500 and 1.00:00:00", breaker.BreakDuration);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
