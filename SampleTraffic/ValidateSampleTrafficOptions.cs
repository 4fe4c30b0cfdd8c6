using Microsoft.Extensions.Options;

namespace Observability.SampleTraffic;

/// <summary>Rejects sample-traffic settings that cannot work, naming the configuration key.</summary>
internal sealed class ValidateSampleTrafficOptions : IValidateOptions<SampleTrafficOptions>
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, SampleTrafficOptions options)
    {
        var failures = new List<string>();
        if (options.Gateway is not { IsAbsoluteUri: true })
        {
            failures.Add("SampleTraffic:Gateway must be an absolute URL.");
        }

        if (options.Interval < MinInterval || options.Interval > MaxInterval)
        {
            failures.Add("SampleTraffic:Interval must be between 00:00:00.1 and 01:00:00.");
        }

        if (string.IsNullOrWhiteSpace(options.SessionId) || options.SessionId.Length > 128)
        {
            failures.Add("SampleTraffic:SessionId must be 1 to 128 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
