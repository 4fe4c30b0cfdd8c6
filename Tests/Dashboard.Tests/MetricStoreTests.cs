using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Tests;

/// <summary>Metric caps: a per-resource series budget within a global one, and a ring of points per series.</summary>
public sealed class MetricStoreTests
{
    [Fact]
    public void Add_HighCardinalityResource_IsCappedWithoutStarvingOthers()
    {
        var drops = new DropCounters();
        var store = new MetricStore(Options.Create(new StorageOptions { MaxSeriesPerResource = 10, MaxSeries = 15, MaxPointsPerSeries = 3 }), drops);
        var noisy = TraceStoreTests.Resource(1, "noisy");
        var quiet = TraceStoreTests.Resource(2, "quiet");
        store.Add(noisy, [Metric("requests", Enumerable.Range(0, 100).Select(i => Point(i, "user", "u" + i)))]);
        store.Add(quiet, [Metric("requests", Enumerable.Range(0, 5).Select(i => Point(i, "route", "/r" + i)))]);
        var third = TraceStoreTests.Resource(3, "third");
        store.Add(third, [Metric("requests", [Point(1, "route", "/x")])]);

        var counts = store.SeriesCountByResource();
        Assert.Equal(10, counts[1]);
        Assert.Equal(5, counts[2]);
        Assert.Equal(0, counts[3]);
        Assert.Equal(91, drops.DroppedMetricPoints);
    }

    [Fact]
    public void Add_MorePointsThanSeriesCap_KeepsNewest()
    {
        var drops = new DropCounters();
        var store = new MetricStore(Options.Create(new StorageOptions { MaxPointsPerSeries = 3 }), drops);
        var resource = TraceStoreTests.Resource(1, "svc");
        store.Add(resource, [Metric("temperature", Enumerable.Range(1, 5).Select(i => Point(i, "room", "a")))]);
        var series = store.Series(1, "temperature", 0, long.MaxValue)!.Series.Single();
        Assert.Equal([3.0, 4.0, 5.0], series.Points.Select(p => p.Value));
        Assert.Equal(2, drops.EvictedMetricPoints);
    }

    private static MetricData Metric(string name, IEnumerable<MetricPoint> points)
    {
        var metric = new MetricData { Name = name, Kind = MetricKind.Gauge };
        metric.Points.AddRange(points);
        return metric;
    }

    private static MetricPoint Point(int i, string key, string value) => new()
    {
        TimeUnixNano = 1_000 + i,
        Value = i,
        Attributes = [new TelemetryAttribute(key, AttributeValue.FromString(value))],
    };
}
