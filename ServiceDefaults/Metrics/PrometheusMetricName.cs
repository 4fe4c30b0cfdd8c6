using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// The Prometheus names of one OpenTelemetry metric, computed once per instrument: the metric family name
/// (with its unit suffix), the sample name (<c>_total</c> on counters) and the OpenMetrics unit.
/// </summary>
internal sealed class PrometheusMetricName
{
    private const string TotalSuffix = "_total";

    private PrometheusMetricName(string familyName, string sampleName, string unit, PrometheusMetricType type)
    {
        FamilyName = familyName;
        SampleName = sampleName;
        Unit = unit;
        Type = type;
    }

    /// <summary>The OpenMetrics family name: what <c># TYPE</c> names in OpenMetrics (no <c>_total</c>).</summary>
    public string FamilyName { get; }

    /// <summary>The name on sample lines, and on <c># TYPE</c> in the text format (counters end in <c>_total</c>).</summary>
    public string SampleName { get; }

    /// <summary>The unit suffix of <see cref="FamilyName"/> (<c>seconds</c>), empty when there is none.</summary>
    public string Unit { get; }

    public PrometheusMetricType Type { get; }

    /// <summary>The name <c># HELP</c> and <c># TYPE</c> lines carry in <paramref name="format"/>.</summary>
    public string HeaderName(PrometheusFormat format) => format == PrometheusFormat.OpenMetrics ? FamilyName : SampleName;

    /// <summary>Whether the metric has a Prometheus form (exponential histograms have none in these formats).</summary>
    public static bool IsSupported(MetricType metricType) => metricType != MetricType.ExponentialHistogram;

    public static PrometheusMetricName Create(string name, string? unit, MetricType metricType)
    {
        PrometheusMetricType type;
        if (metricType.IsHistogram())
        {
            type = PrometheusMetricType.Histogram;
        }
        else if (metricType is MetricType.LongSum or MetricType.DoubleSum)
        {
            type = PrometheusMetricType.Counter;
        }
        else
        {
            type = PrometheusMetricType.Gauge;
        }

        return Create(name, unit, type);
    }

    public static PrometheusMetricName Create(string name, string? unit, PrometheusMetricType type)
    {
        var baseName = PrometheusNames.SanitizeMetricName(name);
        if (type == PrometheusMetricType.Counter && baseName.EndsWith(TotalSuffix, StringComparison.Ordinal) && baseName.Length > TotalSuffix.Length)
        {
            baseName = baseName[..^TotalSuffix.Length];
        }

        var unitSuffix = PrometheusNames.UnitSuffix(unit, type == PrometheusMetricType.Gauge);
        if (unitSuffix.Length > 0 && !baseName.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            baseName = PrometheusNames.SanitizeMetricName(baseName + "_" + unitSuffix);
        }

        var sampleName = type == PrometheusMetricType.Counter ? baseName + TotalSuffix : baseName;
        return new PrometheusMetricName(baseName, sampleName, unitSuffix, type);
    }
}
