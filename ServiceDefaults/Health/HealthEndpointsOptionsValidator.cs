using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Health;

/// <summary>Rejects unusable <see cref="HealthEndpointsOptions"/> at start, naming the configuration key.</summary>
internal sealed class HealthEndpointsOptionsValidator : IValidateOptions<HealthEndpointsOptions>
{
    private const string Prefix = HealthEndpointsOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, HealthEndpointsOptions options)
    {
        List<string> failures = [];
        if (options.CacheDuration < TimeSpan.Zero || options.CacheDuration > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Prefix}{nameof(options.CacheDuration)} must be between 00:00:00 and 00:01:00 (was {options.CacheDuration}).");
        }

        if (options.CheckTimeout < TimeSpan.FromMilliseconds(1) || options.CheckTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}{nameof(options.CheckTimeout)} must be between 00:00:00.001 and 00:05:00 (was {options.CheckTimeout}).");
        }

        if (options.Status is null)
        {
            failures.Add($"{Prefix}{nameof(options.Status)} must not be null.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
