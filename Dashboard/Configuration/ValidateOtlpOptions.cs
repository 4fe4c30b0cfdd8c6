using Microsoft.Extensions.Options;

namespace Observability.Dashboard.Configuration;

/// <summary>Checks <see cref="OtlpOptions"/> at start; each message names the configuration key to fix.</summary>
internal sealed class ValidateOtlpOptions : IValidateOptions<OtlpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtlpOptions options)
    {
        var errors = new List<string>();
        if (options.AuthMode == OtlpAuthMode.ApiKey && string.IsNullOrEmpty(options.PrimaryApiKey))
        {
            errors.Add("Dashboard:Otlp:PrimaryApiKey is required when Dashboard:Otlp:AuthMode is ApiKey " +
                "(set Dashboard:Otlp:AuthMode to Unsecured to accept exports without a key).");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            errors.Add("Dashboard:Otlp:MaxRequestBodyBytes must be at least 1024.");
        }

        if (options.MaxConcurrentExports < 1)
        {
            errors.Add("Dashboard:Otlp:MaxConcurrentExports must be at least 1.");
        }

        if (options.RetryAfter < TimeSpan.FromSeconds(1))
        {
            errors.Add("Dashboard:Otlp:RetryAfter must be at least 00:00:01.");
        }

        if (options.MaxNestingDepth is < 1 or > 64)
        {
            errors.Add("Dashboard:Otlp:MaxNestingDepth must be between 1 and 64.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
