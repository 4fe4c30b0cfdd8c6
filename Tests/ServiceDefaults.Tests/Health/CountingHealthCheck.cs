using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.ServiceDefaults.Tests.Health;

/// <summary>
/// A check whose result the test sets, which counts its runs and can be held open by a gate so that the test
/// knows an evaluation is in flight.
/// </summary>
internal sealed class CountingHealthCheck : IHealthCheck
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public HealthCheckResult Result { get; set; } = HealthCheckResult.Healthy("all good");

    public TaskCompletionSource? Gate { get; set; }

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _runs);
        Entered.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return Result;
    }
}
