using System.Text;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Storage;

/// <summary>
/// Metrics as time series per resource, instrument and attribute set. Each resource has its own budget of
/// <c>Dashboard:Storage:MaxSeriesPerResource</c> series within <c>MaxSeries</c> in total; each series keeps its
/// newest <c>MaxPointsPerSeries</c> points. Points of series over budget are dropped and counted.
/// </summary>
internal sealed class MetricStore(IOptions<StorageOptions> options, DropCounters drops)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, ResourceMetrics> _byResource = [];
    private readonly StorageOptions _options = options.Value;
    private int _seriesCount;

    public int Add(TelemetryResource resource, List<MetricData> metrics)
    {
        var added = 0;
        var dropped = 0;
        var evicted = 0;
        lock (_lock)
        {
            if (!_byResource.TryGetValue(resource.Id, out var resourceMetrics))
            {
                resourceMetrics = new ResourceMetrics();
                _byResource.Add(resource.Id, resourceMetrics);
            }

            foreach (var metric in metrics)
            {
                var key = (metric.Scope.Name, metric.Name);
                if (!resourceMetrics.Instruments.TryGetValue(key, out var instrument))
                {
                    instrument = new MetricInstrument(metric);
                    resourceMetrics.Instruments.Add(key, instrument);
                }
                else
                {
                    instrument.Kind = metric.Kind;
                    instrument.Temporality = metric.Temporality;
                    instrument.IsMonotonic = metric.IsMonotonic;
                    instrument.Description = metric.Description ?? instrument.Description;
                    instrument.Unit = metric.Unit ?? instrument.Unit;
                }

                foreach (var point in metric.Points)
                {
                    var seriesKey = SeriesKey(point.Attributes);
                    if (!instrument.Series.TryGetValue(seriesKey, out var series))
                    {
                        if (resourceMetrics.SeriesCount >= _options.MaxSeriesPerResource || _seriesCount >= _options.MaxSeries)
                        {
                            dropped++;
                            continue;
                        }

                        series = new MetricSeries(point.Attributes, _options.MaxPointsPerSeries);
                        instrument.Series.Add(seriesKey, series);
                        resourceMetrics.SeriesCount++;
                        _seriesCount++;
                    }

                    evicted += series.Add(point) ? 1 : 0;
                    added++;
                }
            }
        }

        if (dropped > 0)
        {
            drops.AddDroppedMetricPoints(dropped);
        }

        if (evicted > 0)
        {
            drops.AddEvictedMetricPoints(evicted);
        }

        return added;
    }

    /// <summary>Every instrument of a resource, without points.</summary>
    public List<InstrumentSnapshot> Instruments(int resourceId)
    {
        lock (_lock)
        {
            if (!_byResource.TryGetValue(resourceId, out var resourceMetrics))
            {
                return [];
            }

            return [.. resourceMetrics.Instruments.Values
                .OrderBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => Snapshot(i, includePoints: false, 0, 0))];
        }
    }

    /// <summary>An instrument's series with their points in [from, to), or null when the instrument is unknown.</summary>
    public InstrumentSnapshot? Series(int resourceId, string name, long fromUnixNano, long toUnixNano)
    {
        lock (_lock)
        {
            if (!_byResource.TryGetValue(resourceId, out var resourceMetrics))
            {
                return null;
            }

            var instrument = resourceMetrics.Instruments.Values.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));
            return instrument is null ? null : Snapshot(instrument, includePoints: true, fromUnixNano, toUnixNano);
        }
    }

    /// <summary>Every instrument of a resource with all its stored points.</summary>
    public List<InstrumentSnapshot> Snapshot(int resourceId)
    {
        lock (_lock)
        {
            return _byResource.TryGetValue(resourceId, out var resourceMetrics)
                ? [.. resourceMetrics.Instruments.Values.Select(i => Snapshot(i, includePoints: true, long.MinValue, long.MaxValue))]
                : [];
        }
    }

    public Dictionary<int, int> SeriesCountByResource()
    {
        lock (_lock)
        {
            return _byResource.ToDictionary(r => r.Key, r => r.Value.SeriesCount);
        }
    }

    public void Clear(int? resourceId)
    {
        lock (_lock)
        {
            if (resourceId is null)
            {
                _byResource.Clear();
                _seriesCount = 0;
            }
            else if (_byResource.Remove(resourceId.Value, out var removed))
            {
                _seriesCount -= removed.SeriesCount;
            }
        }
    }

    private static InstrumentSnapshot Snapshot(MetricInstrument instrument, bool includePoints, long from, long to) =>
        new(instrument.Name, instrument.Description, instrument.Unit, instrument.Kind, instrument.Temporality, instrument.IsMonotonic,
            instrument.Scope, instrument.Series.Count,
            includePoints ? [.. instrument.Series.Values.Select(s => (s.Attributes, s.Window(from, to)))] : []);

    private static string SeriesKey(TelemetryAttribute[] attributes)
    {
        if (attributes.Length == 0)
        {
            return string.Empty;
        }

        var sorted = attributes.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var builder = new StringBuilder();
        foreach (var attribute in sorted)
        {
            builder.Append(attribute.Key).Append('\u0001').Append((int)attribute.Value.Kind).Append(attribute.Value.ToString()).Append('\u0002');
        }

        return builder.ToString();
    }

    private sealed class ResourceMetrics
    {
        public Dictionary<(string Scope, string Name), MetricInstrument> Instruments { get; } = [];

        public int SeriesCount { get; set; }
    }
}
