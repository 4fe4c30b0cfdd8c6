namespace Observability.WebSocketHub.Tests;

/// <summary>A clock stopped at one instant (to issue tickets that are already expired).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
