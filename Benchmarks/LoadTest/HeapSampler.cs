using System.Diagnostics;

namespace Observability.LoadTest;

/// <summary>One round of <see cref="ManagedHeapProbe"/> readings (services whose heap could not be read are absent), at a <see cref="Stopwatch"/> timestamp.</summary>
internal sealed record HeapSample(long Timestamp, IReadOnlyDictionary<string, ManagedHeap> Heaps);

/// <summary>
/// Reads every service's live managed heap after a full collection, one service after the other, every interval of
/// the measured window (and when asked: at its start and its end), so that a leak shows as a trend over the window
/// rather than as the difference of two readings that also hold whatever was in flight at those two moments.
/// </summary>
internal sealed class HeapSampler(IReadOnlyList<Observability.TestInfrastructure.Processes.ServiceProcess> services, TimeSpan interval) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<HeapSample> _samples = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<HeapSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>One round now; the caller does not overlap it with <see cref="RunAsync"/> (one reading at a time pauses one service at a time).</summary>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        var heaps = new Dictionary<string, ManagedHeap>();
        var timestamp = Stopwatch.GetTimestamp();
        foreach (var service in services)
        {
            try
            {
                heaps[service.Name] = await ManagedHeapProbe.ReadAfterFullCollectionAsync(service.ProcessId, new Uri(service.Address, "/metrics"), _http, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or TimeoutException or Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException)
            {
                Console.Error.WriteLine($"{service.Name}: managed heap not read ({exception.GetType().Name}: {exception.Message})");
            }
        }

        lock (_lock)
        {
            _samples.Add(new HeapSample(timestamp, heaps));
        }
    }

    /// <summary>A round every interval until <paramref name="cancellationToken"/> is cancelled; nothing when the interval is zero.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TakeAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    public void Dispose() => _http.Dispose();
}
