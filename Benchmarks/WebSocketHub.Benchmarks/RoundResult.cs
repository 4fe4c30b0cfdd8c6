namespace Observability.WebSocketHub.Benchmarks;

/// <summary>One measured round against one server.</summary>
/// <param name="Server">Which server (ours or SignalR).</param>
/// <param name="Seconds">Length of the measured window.</param>
/// <param name="Deliveries">Event messages the clients received in the window.</param>
/// <param name="Events">Events published in the window.</param>
/// <param name="ServerCpuSeconds">The server process's CPU time in the window.</param>
/// <param name="ClientsCpuSeconds">This process's CPU time in the window (clients and publisher).</param>
/// <param name="RedisCpuSeconds">redis-server's CPU time in the window.</param>
/// <param name="ServerPeakResidentBytes">The server's largest resident memory sampled in the window.</param>
/// <param name="Lost">Deliveries owed (events published in the round × fan-out) that had not arrived 10 s after publishing stopped.</param>
/// <param name="LoadAverage">The 1/5/15 minute load averages at the end of the window.</param>
internal sealed record RoundResult(
    string Server,
    double Seconds,
    long Deliveries,
    long Events,
    double ServerCpuSeconds,
    double ClientsCpuSeconds,
    double RedisCpuSeconds,
    long ServerPeakResidentBytes,
    long Lost,
    string LoadAverage)
{
    public double DeliveriesPerSecond => Deliveries / Seconds;

    public double ServerMicrosecondsPerDelivery => ServerCpuSeconds * 1e6 / Math.Max(1, Deliveries);
}
