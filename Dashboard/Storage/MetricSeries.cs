namespace Observability.Dashboard.Storage;

/// <summary>The points of one instrument for one attribute set: a ring of the newest <c>MaxPointsPerSeries</c>.</summary>
internal sealed class MetricSeries(TelemetryAttribute[] attributes, int capacity)
{
    private readonly MetricPoint[] _ring = new MetricPoint[capacity];
    private int _next;
    private int _count;

    public TelemetryAttribute[] Attributes { get; } = attributes;

    public int Count => _count;

    /// <summary>Appends a point; returns true when the oldest point was overwritten.</summary>
    public bool Add(MetricPoint point)
    {
        point.Attributes = Attributes;
        var overwrote = _count == _ring.Length;
        _ring[_next] = point;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
        return overwrote;
    }

    /// <summary>Points with <c>time_unix_nano</c> in [from, to), oldest first.</summary>
    public List<MetricPoint> Window(long fromUnixNano, long toUnixNano)
    {
        var points = new List<MetricPoint>();
        var start = (_next - _count + _ring.Length) % _ring.Length;
        for (var i = 0; i < _count; i++)
        {
            var point = _ring[(start + i) % _ring.Length];
            if (point.TimeUnixNano >= fromUnixNano && point.TimeUnixNano < toUnixNano)
            {
                points.Add(point);
            }
        }

        points.Sort((a, b) => a.TimeUnixNano.CompareTo(b.TimeUnixNano));
        return points;
    }
}
