using Microsoft.Extensions.Options;

namespace Observability.Gateway.RateLimiting;

/// <summary>Rejects rate-limit settings that cannot work, naming the configuration key.</summary>
internal sealed class ValidateGatewayRateLimitOptions : IValidateOptions<GatewayRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayRateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.TokenLimit < 1)
        {
            failures.Add("Gateway:RateLimit:TokenLimit must be at least 1.");
        }

        if (options.TokensPerPeriod < 1)
        {
            failures.Add("Gateway:RateLimit:TokensPerPeriod must be at least 1.");
        }

        if (options.ReplenishmentPeriod < TimeSpan.FromMilliseconds(1) || options.ReplenishmentPeriod > TimeSpan.FromHours(1))
        {
            failures.Add("Gateway:RateLimit:ReplenishmentPeriod must be between 1 ms and 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
