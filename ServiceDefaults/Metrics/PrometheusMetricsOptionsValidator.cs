using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>Rejects unusable <see cref="PrometheusMetricsOptions"/> at start, naming the configuration key.</summary>
internal sealed class PrometheusMetricsOptionsValidator : IValidateOptions<PrometheusMetricsOptions>
{
    private const string Prefix = PrometheusMetricsOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, PrometheusMetricsOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.Path) || !options.Path.StartsWith('/'))
        {
            failures.Add($"{Prefix}{nameof(options.Path)} must be a path starting with '/' (was '{options.Path}').");
        }

        if (options.ScrapeResponseCacheDuration < TimeSpan.Zero || options.ScrapeResponseCacheDuration > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Prefix}{nameof(options.ScrapeResponseCacheDuration)} must be between 00:00:00 and 00:01:00 (was {options.ScrapeResponseCacheDuration}).");
        }

        if (options.CollectTimeout < TimeSpan.FromMilliseconds(1) || options.CollectTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}{nameof(options.CollectTimeout)} must be between 00:00:00.001 and 00:05:00 (was {options.CollectTimeout}).");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
