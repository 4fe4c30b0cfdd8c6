using Microsoft.Extensions.Options;

namespace Observability.Worker.Jobs;

/// <summary>Validates <see cref="JobConsumerOptions"/> at start-up; each message names its configuration key.</summary>
internal sealed class JobConsumerOptionsValidator : IValidateOptions<JobConsumerOptions>
{
    private const string Prefix = JobConsumerOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, JobConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Concurrency is < 1 or > 256)
        {
            errors.Add($"{Prefix}Concurrency must be between 1 and 256 (was {options.Concurrency}).");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerName))
        {
            errors.Add($"{Prefix}ConsumerName must not be empty.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Prefix}PollInterval must be between 00:00:00.010 and 00:01:00 (was {options.PollInterval}).");
        }

        if (options.ClaimIdleTime < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Prefix}ClaimIdleTime must be at least 00:00:00.010 (was {options.ClaimIdleTime}).");
        }

        if (options.MaintenanceInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Prefix}MaintenanceInterval must be at least 00:00:00.010 (was {options.MaintenanceInterval}).");
        }

        if (options.MaxParallelSteps is < 1 or > 64)
        {
            errors.Add($"{Prefix}MaxParallelSteps must be between 1 and 64 (was {options.MaxParallelSteps}).");
        }

        if (options.MaxDeliveries is < 1 or > 100)
        {
            errors.Add($"{Prefix}MaxDeliveries must be between 1 and 100 (was {options.MaxDeliveries}).");
        }

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Prefix}ShutdownTimeout must be between 00:00:00 and 00:10:00 (was {options.ShutdownTimeout}).");
        }

        if (options.StuckRunTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Prefix}StuckRunTimeout must be at least 00:00:01 (was {options.StuckRunTimeout}).");
        }

        if (options.SweepInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Prefix}SweepInterval must be at least 00:00:00.010 (was {options.SweepInterval}).");
        }

        if (options.ReconcileInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Prefix}ReconcileInterval must be at least 00:00:00.010 (was {options.ReconcileInterval}).");
        }

        if (options.MaintenanceInterval >= options.ClaimIdleTime && options.ClaimIdleTime >= TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Prefix}MaintenanceInterval must be shorter than {Prefix}ClaimIdleTime (was {options.MaintenanceInterval} and {options.ClaimIdleTime}): in-flight jobs are kept claimed every MaintenanceInterval.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
