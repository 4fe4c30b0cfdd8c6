using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.RequestLimits;

/// <summary>
/// Rejects unusable <see cref="RequestLimitsOptions"/> at start, naming the configuration key. Written out rather than
/// source-generated: the generated range checks name the property (<c>RequestLimitsOptions.MaxRequestLineSize</c>), not
/// the key, and one rule spans two keys (a limit times the backstop factor must fit Kestrel's request buffer).
/// </summary>
internal sealed class ValidateRequestLimitsOptions : IValidateOptions<RequestLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestLimitsOptions options)
    {
        var failures = new List<string>();
        CheckRange(failures, nameof(RequestLimitsOptions.MaxRequestHeadersTotalSize), options.MaxRequestHeadersTotalSize, 1024, 256 * 1024);
        CheckRange(failures, nameof(RequestLimitsOptions.MaxRequestHeaderCount), options.MaxRequestHeaderCount, 1, 1000);
        CheckRange(failures, nameof(RequestLimitsOptions.MaxRequestLineSize), options.MaxRequestLineSize, 256, 64 * 1024);
        CheckRange(failures, nameof(RequestLimitsOptions.KestrelBackstopFactor), options.KestrelBackstopFactor, 1, 16);
        foreach (var (key, value) in new[]
        {
            (nameof(RequestLimitsOptions.MaxRequestHeadersTotalSize), options.MaxRequestHeadersTotalSize),
            (nameof(RequestLimitsOptions.MaxRequestLineSize), options.MaxRequestLineSize),
        })
        {
            if ((long)value * options.KestrelBackstopFactor > RequestLimitsOptions.KestrelRequestBufferSize)
            {
                failures.Add(
                    $"{RequestLimitsOptions.SectionName}:{key} ({value}) times {RequestLimitsOptions.SectionName}:KestrelBackstopFactor " +
                    $"({options.KestrelBackstopFactor}) must be at most Kestrel's request buffer, {RequestLimitsOptions.KestrelRequestBufferSize} bytes.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{RequestLimitsOptions.SectionName}:{key} must be between {min} and {max} (was {value}).");
        }
    }
}
