namespace Observability.WebSocketHub.Benchmarks;

/// <summary>
/// A server under test with its own clients: they follow <see cref="SessionIds"/> (client <c>i</c> the session
/// <c>i mod sessions</c>) and count what they receive in <see cref="Counter"/>. Each server's clients follow sessions
/// of their own, so a round publishes to one server's clients only; the other server gets the same publications on
/// the channel and finds no subscriber for them.
/// </summary>
internal sealed record BenchmarkTarget(string Name, int ProcessId, string[] SessionIds, DeliveryCounter Counter);
