namespace Observability.Dashboard.Storage;

/// <summary>One data point of a time series. Exactly one of the value shapes is set, per the instrument's kind.</summary>
internal sealed class MetricPoint
{
    private static readonly Exemplar[] s_noExemplars = [];

    /// <summary>The point's attribute set; the store replaces it with the series' shared array.</summary>
    public TelemetryAttribute[] Attributes { get; set; } = [];

    public long StartUnixNano { get; set; }

    public long TimeUnixNano { get; set; }

    /// <summary>Gauge and sum value (integers widened to double).</summary>
    public double Value { get; set; }

    public HistogramValues? Histogram { get; set; }

    public ExponentialHistogramValues? Exponential { get; set; }

    public SummaryValues? Summary { get; set; }

    public Exemplar[] Exemplars { get; set; } = s_noExemplars;
}
