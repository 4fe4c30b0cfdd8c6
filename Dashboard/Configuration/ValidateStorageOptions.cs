using Microsoft.Extensions.Options;

namespace Observability.Dashboard.Configuration;

/// <summary>Checks <see cref="StorageOptions"/> at start; each message names the configuration key to fix.</summary>
internal sealed class ValidateStorageOptions : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        RequirePositive(errors, nameof(options.MaxTraces), options.MaxTraces);
        RequirePositive(errors, nameof(options.MaxSpans), options.MaxSpans);
        RequirePositive(errors, nameof(options.MaxSpansPerTrace), options.MaxSpansPerTrace);
        RequirePositive(errors, nameof(options.MaxLogs), options.MaxLogs);
        RequirePositive(errors, nameof(options.MaxPointsPerSeries), options.MaxPointsPerSeries);
        RequirePositive(errors, nameof(options.MaxSeriesPerResource), options.MaxSeriesPerResource);
        RequirePositive(errors, nameof(options.MaxSeries), options.MaxSeries);
        RequirePositive(errors, nameof(options.MaxResources), options.MaxResources);
        RequirePositive(errors, nameof(options.MaxAttributeCount), options.MaxAttributeCount);
        RequirePositive(errors, nameof(options.MaxAttributeLength), options.MaxAttributeLength);
        RequirePositive(errors, nameof(options.MaxSpanEvents), options.MaxSpanEvents);
        if (options.SlowTraceThreshold <= TimeSpan.Zero)
        {
            errors.Add("Dashboard:Storage:SlowTraceThreshold must be positive.");
        }

        if (options.RetentionAge <= TimeSpan.Zero)
        {
            errors.Add("Dashboard:Storage:RetentionAge must be positive.");
        }

        if (options.SegmentBytes < 4096)
        {
            errors.Add("Dashboard:Storage:SegmentBytes must be at least 4096.");
        }

        if (options.RetentionBytes < options.SegmentBytes)
        {
            errors.Add("Dashboard:Storage:RetentionBytes must be at least Dashboard:Storage:SegmentBytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequirePositive(List<string> errors, string key, int value)
    {
        if (value < 1)
        {
            errors.Add($"Dashboard:Storage:{key} must be at least 1.");
        }
    }
}
