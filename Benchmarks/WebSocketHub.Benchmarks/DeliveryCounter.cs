namespace Observability.WebSocketHub.Benchmarks;

/// <summary>Deliveries counted by every client, striped to keep 1,000 receive loops off one cache line.</summary>
internal sealed class DeliveryCounter
{
    private const int Stripes = 16;
    private readonly long[] _counts = new long[Stripes * 16];

    public void Add() => Interlocked.Increment(ref _counts[(Environment.CurrentManagedThreadId % Stripes) * 16]);

    public long Total
    {
        get
        {
            long total = 0;
            for (var i = 0; i < Stripes; i++)
            {
                total += Volatile.Read(ref _counts[i * 16]);
            }

            return total;
        }
    }
}
