using Microsoft.Extensions.Options;

namespace Observability.Worker.Monitoring;

/// <summary>Validates <see cref="PerformanceThresholdsOptions"/> at start-up; each message names its configuration key.</summary>
internal sealed class PerformanceThresholdsOptionsValidator : IValidateOptions<PerformanceThresholdsOptions>
{
    private const string Prefix = PerformanceThresholdsOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, PerformanceThresholdsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Positive(errors, nameof(options.WorkflowDuration), options.WorkflowDuration);
        Positive(errors, nameof(options.StepDuration), options.StepDuration);
        Positive(errors, nameof(options.LlmCallDuration), options.LlmCallDuration);
        Positive(errors, nameof(options.ErrorRateWindow), options.ErrorRateWindow);
        if (options.CostPerWorkflow < 0)
        {
            errors.Add($"{Prefix}CostPerWorkflow must not be negative (was {options.CostPerWorkflow}).");
        }

        if (options.ErrorRate is < 0 or > 1 || double.IsNaN(options.ErrorRate))
        {
            errors.Add($"{Prefix}ErrorRate must be between 0 and 1 (was {options.ErrorRate}).");
        }

        if (options.ErrorRateMinimumRuns < 1)
        {
            errors.Add($"{Prefix}ErrorRateMinimumRuns must be at least 1 (was {options.ErrorRateMinimumRuns}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{Prefix}{key} must be greater than 00:00:00 (was {value}).");
        }
    }
}
