namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>
/// The system clock plus an offset the test moves forward: wall-clock reads (the circuit breaker's break window,
/// Retry-After dates) jump, while timers stay real.
/// </summary>
internal sealed class AdjustableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
