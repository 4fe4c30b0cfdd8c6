using Microsoft.Extensions.Options;
using Observability.Workflows.Outbox;

namespace Observability.Gateway.Outbox;

/// <summary>Rejects relay settings that cannot work, naming the configuration key.</summary>
internal sealed class ValidateOutboxRelayOptions : IValidateOptions<OutboxRelayOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxRelayOptions options)
    {
        var failures = new List<string>();
        if (options.BatchSize < 1 || options.BatchSize > OutboxRelay.MaxBatchSize)
        {
            failures.Add($"Gateway:Outbox:BatchSize must be between 1 and {OutboxRelay.MaxBatchSize}.");
        }

        if (options.ConcurrentBatches is < 1 or > 8)
        {
            failures.Add("Gateway:Outbox:ConcurrentBatches must be between 1 and 8.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add("Gateway:Outbox:PollInterval must be between 10 ms and 10 minutes.");
        }

        if (options.InitialBackoff < TimeSpan.FromMilliseconds(1) || options.InitialBackoff > options.MaxBackoff)
        {
            failures.Add("Gateway:Outbox:InitialBackoff must be at least 1 ms and at most Gateway:Outbox:MaxBackoff.");
        }

        if (options.MaxBackoff > TimeSpan.FromMinutes(10))
        {
            failures.Add("Gateway:Outbox:MaxBackoff must be at most 10 minutes.");
        }

        if (options.StreamMaxLength < 1000)
        {
            failures.Add("Gateway:Outbox:StreamMaxLength must be at least 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
