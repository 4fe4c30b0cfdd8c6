using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Tests;

/// <summary>Trace caps: per-resource fairness and priority eviction of error and slow traces.</summary>
public sealed class TraceStoreTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_NoisyResourceOverCap_EvictsOnlyItsOwnTraces()
    {
        var (store, drops) = Create(maxTraces: 100);
        var quiet = Resource(1, "quiet");
        var noisy = Resource(2, "noisy");
        for (var i = 0; i < 20; i++)
        {
            store.Add(quiet, [Span(i, durationMs: 5)]);
        }

        for (var i = 1_000; i < 6_000; i++)
        {
            store.Add(noisy, [Span(i, durationMs: 5)]);
        }

        var counts = store.CountByOwner();
        Assert.Equal(20, counts[1]);
        Assert.Equal(80, counts[2]);
        Assert.Equal(100, store.Count);
        Assert.Equal(4_920, drops.EvictedTraces);
        Assert.NotNull(store.Get(TraceIdOf(0)));
        Assert.Null(store.Get(TraceIdOf(1_000)));
        Assert.NotNull(store.Get(TraceIdOf(5_999)));
    }

    [Fact]
    public void Add_OverCap_KeepsErrorAndSlowTracesLongest()
    {
        var (store, _) = Create(maxTraces: 10);
        var service = Resource(1, "svc");
        store.Add(service, [Span(1, durationMs: 5, error: true)]);
        store.Add(service, [Span(2, durationMs: 5_000)]);
        for (var i = 100; i < 200; i++)
        {
            store.Add(service, [Span(i, durationMs: 5)]);
        }

        Assert.NotNull(store.Get(TraceIdOf(1)));
        Assert.NotNull(store.Get(TraceIdOf(2)));
        Assert.Null(store.Get(TraceIdOf(100)));
        Assert.NotNull(store.Get(TraceIdOf(199)));
        Assert.Equal(10, store.Count);
    }

    [Fact]
    public void Add_OverSpanCap_EvictsFromResourceWithMostSpans()
    {
        var (store, drops) = Create(maxTraces: 1_000, maxSpans: 100);
        var quiet = Resource(1, "quiet");
        var noisy = Resource(2, "noisy");
        for (var t = 0; t < 2; t++)
        {
            store.Add(quiet, [.. Enumerable.Range(1, 10).Select(i => Span(t, 5, spanId: (ulong)i))]);
        }

        for (var t = 100; t < 150; t++)
        {
            store.Add(noisy, [.. Enumerable.Range(1, 20).Select(i => Span(t, 5, spanId: (ulong)i))]);
        }

        Assert.InRange(store.SpanCount, 81, 100);
        Assert.Equal(2, store.CountByOwner()[1]);
        Assert.NotNull(store.Get(TraceIdOf(149)));
        Assert.True(drops.EvictedSpans >= 900);
    }

    [Fact]
    public void Add_MoreSpansThanTraceCap_DropsAndCountsTheRest()
    {
        var (store, drops) = Create(maxTraces: 10, maxSpansPerTrace: 3);
        var service = Resource(1, "svc");
        store.Add(service, [.. Enumerable.Range(1, 5).Select(i => Span(7, 5, spanId: (ulong)i))]);
        Assert.Equal(3, store.Get(TraceIdOf(7))!.Count);
        Assert.Equal(2, drops.DroppedSpansOverTraceCap);
    }

    [Fact]
    public void Query_FiltersAndPages_NewestFirst()
    {
        var (store, _) = Create(maxTraces: 1_000);
        var a = Resource(1, "a");
        var b = Resource(2, "b");
        for (var i = 0; i < 30; i++)
        {
            store.Add(i % 2 == 0 ? a : b, [Span(i, durationMs: i, error: i % 3 == 0)]);
        }

        var (page, total) = store.Query(new TraceQuery { Service = "a", HasError = true, Offset = 1, Limit = 2 });
        Assert.Equal(5, total); // 0, 6, 12, 18, 24
        Assert.Equal([TraceIdOf(18), TraceIdOf(12)], page.Select(t => t.TraceId));
        var (slow, slowTotal) = store.Query(new TraceQuery { MinDuration = TimeSpan.FromMilliseconds(25) });
        Assert.Equal(5, slowTotal);
        Assert.Equal(TraceIdOf(29), slow[0].TraceId);
    }

    [Fact]
    public void Clear_OneResource_RemovesOnlyItsSpans()
    {
        var (store, _) = Create(maxTraces: 100);
        var a = Resource(1, "a");
        var b = Resource(2, "b");
        store.Add(a, [Span(1, 5, spanId: 1)]);
        store.Add(b, [Span(1, 5, spanId: 2, parent: 1)]);
        store.Add(b, [Span(2, 5)]);
        store.Clear(2);
        Assert.Single(store.Get(TraceIdOf(1))!);
        Assert.Null(store.Get(TraceIdOf(2)));
    }

    internal static TraceId TraceIdOf(int i) => new(0xABCD, (ulong)i + 1);

    internal static TelemetryResource Resource(int id, string name) => new(id, name, null, []);

    private static (TraceStore Store, DropCounters Drops) Create(int maxTraces, int maxSpansPerTrace = 100, int maxSpans = 1_000_000)
    {
        var drops = new DropCounters();
        var options = Options.Create(new StorageOptions { MaxTraces = maxTraces, MaxSpansPerTrace = maxSpansPerTrace, MaxSpans = maxSpans });
        return (new TraceStore(options, drops), drops);
    }

    private static SpanRecord Span(int trace, int durationMs, bool error = false, ulong spanId = 1, ulong parent = 0)
    {
        var start = (s_start.ToUnixTimeMilliseconds() + trace) * 1_000_000;
        return new SpanRecord
        {
            TraceId = TraceIdOf(trace),
            SpanId = spanId,
            ParentSpanId = parent,
            Name = "op",
            StartUnixNano = start,
            EndUnixNano = start + (durationMs * 1_000_000L),
            Status = error ? SpanStatusCode.Error : SpanStatusCode.Unset,
        };
    }
}
