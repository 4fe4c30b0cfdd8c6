using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using Observability.TestInfrastructure.Processes;

namespace Observability.LoadTest;

/// <summary>
/// What a .NET process's managed heap holds after a full, blocking, compacting collection: <see cref="LiveBytes"/> is
/// what survived it (every object still referenced), <see cref="HeapBytes"/> the generations' sizes after it (live plus
/// what the collector keeps as free space), <see cref="RssBytes"/> the process's resident memory read right after;
/// <see cref="CommittedBytes"/> is the memory the collector had committed at that collection (the runtime's
/// <c>dotnet.gc.last_collection.memory.committed_size</c>, read from the service's Prometheus endpoint right after;
/// null when the endpoint does not answer), so RSS minus it is what is outside the managed heap.
/// </summary>
internal sealed record ManagedHeap(long LiveBytes, long HeapBytes, long RssBytes, long? CommittedBytes, TimeSpan Collection);

/// <summary>
/// Reads a service's live managed heap the way <c>dotnet-gcdump</c> makes it collect, without the heap walk: an
/// EventPipe session over the runtime's diagnostic port with the <c>GCHeapCollect</c> keyword makes the runtime run an
/// induced, blocking gen-2 collection, and the <c>GC</c> keyword's <c>GCHeapStats</c> event after it gives what
/// survived, per generation. The service is paused once for that collection (its duration is reported).
/// </summary>
/// <remarks>
/// RSS and the heap's size between collections say little about a leak: with the server GC, garbage waits in
/// generation 1 for minutes under a steady load and RSS follows it. What survives a full collection is what the process
/// still references, so it is the figure that grows with a leak and only with a leak.
/// </remarks>
internal static class ManagedHeapProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const string CommittedMetric = "dotnet_gc_last_collection_memory_committed_size_bytes";

    public static async Task<ManagedHeap> ReadAfterFullCollectionAsync(int processId, Uri metrics, HttpClient http, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(processId);
        var provider = new EventPipeProvider(
            ClrTraceEventParser.ProviderName,
            EventLevel.Informational,
            (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect));
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 16, cancellationToken).ConfigureAwait(false);
        var heap = new TaskCompletionSource<(long Live, long Size, TimeSpan Collection)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var processing = Task.Run(() => Process(session.EventStream, heap), CancellationToken.None);
        try
        {
            var (live, size, collection) = await heap.Task.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            var rss = ProcFs.Memory(processId).Rss;
            return new ManagedHeap(live, size, rss, await ReadCommittedAsync(metrics, http, cancellationToken).ConfigureAwait(false), collection);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await processing.ConfigureAwait(false);
        }
    }

    /// <summary>The collector's committed bytes at its last collection from the Prometheus text the service exposes.</summary>
    private static async Task<long?> ReadCommittedAsync(Uri metrics, HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            var text = await http.GetStringAsync(metrics, cancellationToken).ConfigureAwait(false);
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(CommittedMetric, StringComparison.Ordinal));
            return line is null ? null : (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Reads the session's events until it ends; completes <paramref name="heap"/> with the induced gen-2 collection's statistics.</summary>
    private static void Process(Stream events, TaskCompletionSource<(long Live, long Size, TimeSpan Collection)> heap)
    {
        try
        {
            using var source = new EventPipeEventSource(events);
            var induced = -1;
            double startedMs = 0, endedMs = -1;
            source.Clr.GCStart += e =>
            {
                if (induced < 0 && e.Depth == 2 && e.Type == GCType.NonConcurrentGC && e.Reason is GCReason.Induced or GCReason.InducedCompacting or GCReason.InducedNotForced)
                {
                    (induced, startedMs) = (e.Count, e.TimeStampRelativeMSec);
                }
            };
            source.Clr.GCStop += e =>
            {
                if (e.Count == induced)
                {
                    endedMs = e.TimeStampRelativeMSec;
                }
            };
            source.Clr.GCHeapStats += e =>
            {
                if (endedMs >= 0 && !heap.Task.IsCompleted)
                {
                    var live = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4;
                    var size = e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4;
                    heap.TrySetResult((live, size, TimeSpan.FromMilliseconds(endedMs - startedMs)));
                }
            };
            source.Process();
            heap.TrySetException(new InvalidOperationException("The EventPipe session ended without an induced full collection."));
        }
        catch (Exception exception) when (exception is IOException or EndOfStreamException or InvalidOperationException)
        {
            heap.TrySetException(exception);
        }
    }
}
