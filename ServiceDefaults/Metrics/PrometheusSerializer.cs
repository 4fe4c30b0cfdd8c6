using System.Globalization;
using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// Renders one collection of OpenTelemetry metrics (cumulative) in the Prometheus text format or OpenMetrics.
/// Not thread-safe: <see cref="PrometheusScraper"/> calls it under its scrape lock. Names are computed once per
/// instrument and kept as long as the instrument lives.
/// </summary>
internal sealed class PrometheusSerializer
{
    private const string ScopeNameLabel = "otel_scope_name";
    private const string ScopeVersionLabel = "otel_scope_version";
    private const string TargetInfoHelp = "Target metadata";

    private readonly ConditionalWeakTable<Metric, PrometheusMetricName> _names = [];
    private readonly Dictionary<string, string> _labelNames = new(StringComparer.Ordinal);
    private readonly List<(PrometheusMetricName Name, Metric Metric, int Index)> _families = [];
    private readonly List<KeyValuePair<string, string>> _labels = [];

    public void Write(PooledByteBuffer output, in Batch<Metric> metrics, Resource? resource, PrometheusFormat format)
    {
        if (resource is not null)
        {
            WriteTargetInfo(output, resource, format);
        }

        _families.Clear();
        foreach (var metric in metrics)
        {
            if (PrometheusMetricName.IsSupported(metric.MetricType))
            {
                var name = _names.GetValue(metric, static m => PrometheusMetricName.Create(m.Name, m.Unit, m.MetricType));
                _families.Add((name, metric, _families.Count));
            }
        }

        // Instruments of the same Prometheus name (same instrument in two meters) share one family header.
        _families.Sort(static (x, y) =>
        {
            var byName = string.CompareOrdinal(x.Name.FamilyName, y.Name.FamilyName);
            return byName != 0 ? byName : x.Index.CompareTo(y.Index);
        });

        PrometheusMetricName? family = null;
        foreach (var (name, metric, _) in _families)
        {
            if (family is null || !string.Equals(family.FamilyName, name.FamilyName, StringComparison.Ordinal))
            {
                family = name;
                WriteHeader(output, name, string.IsNullOrEmpty(metric.Description) ? metric.Name : metric.Description, format);
            }
            else if (family.Type != name.Type)
            {
                // Two instruments of different kinds map to one name: a family has one type, keep the first.
                continue;
            }

            WritePoints(output, name, metric);
        }

        _families.Clear();
        if (format == PrometheusFormat.OpenMetrics)
        {
            output.Write("# EOF\n"u8);
        }
    }

    private void WriteTargetInfo(PooledByteBuffer output, Resource resource, PrometheusFormat format)
    {
        _labels.Clear();
        foreach (var attribute in resource.Attributes)
        {
            AddLabel(attribute.Key, attribute.Value);
        }

        if (_labels.Count == 0)
        {
            return;
        }

        if (format == PrometheusFormat.OpenMetrics)
        {
            output.Write("# TYPE target info\n# HELP target "u8);
        }
        else
        {
            output.Write("# HELP target_info "u8);
        }

        output.Write(TargetInfoHelp);
        output.Write(format == PrometheusFormat.OpenMetrics ? "\n"u8 : "\n# TYPE target_info gauge\n"u8);
        output.Write("target_info"u8);
        WriteLabels(output, le: null);
        output.Write(" 1\n"u8);
    }

    private static void WriteHeader(PooledByteBuffer output, PrometheusMetricName name, string help, PrometheusFormat format)
    {
        var headerName = name.HeaderName(format);
        output.Write("# TYPE "u8);
        output.Write(headerName);
        output.Write(name.Type switch
        {
            PrometheusMetricType.Counter => " counter\n"u8,
            PrometheusMetricType.Histogram => " histogram\n"u8,
            _ => " gauge\n"u8,
        });
        if (format == PrometheusFormat.OpenMetrics && name.Unit.Length > 0)
        {
            output.Write("# UNIT "u8);
            output.Write(headerName);
            output.Write((byte)' ');
            output.Write(name.Unit);
            output.Write((byte)'\n');
        }

        output.Write("# HELP "u8);
        output.Write(headerName);
        output.Write((byte)' ');
        output.WriteEscaped(help, escapeQuotes: format == PrometheusFormat.OpenMetrics);
        output.Write((byte)'\n');
    }

    private void WritePoints(PooledByteBuffer output, PrometheusMetricName name, Metric metric)
    {
        var type = metric.MetricType;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            _labels.Clear();
            AddLabel(ScopeNameLabel, metric.MeterName);
            if (!string.IsNullOrEmpty(metric.MeterVersion))
            {
                AddLabel(ScopeVersionLabel, metric.MeterVersion);
            }

            foreach (var tag in point.Tags)
            {
                AddLabel(tag.Key, tag.Value);
            }

            if (type.IsHistogram())
            {
                WriteHistogram(output, name, point);
                continue;
            }

            output.Write(name.SampleName);
            WriteLabels(output, le: null);
            output.Write((byte)' ');
            if (type.IsSum())
            {
                if (type.IsDouble())
                {
                    output.Write(point.GetSumDouble());
                }
                else
                {
                    output.Write(point.GetSumLong());
                }
            }
            else if (type.IsDouble())
            {
                output.Write(point.GetGaugeLastValueDouble());
            }
            else
            {
                output.Write(point.GetGaugeLastValueLong());
            }

            output.Write((byte)'\n');
        }
    }

    private void WriteHistogram(PooledByteBuffer output, PrometheusMetricName name, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            output.Write(name.FamilyName);
            output.Write("_bucket"u8);
            WriteLabels(output, le: bucket.ExplicitBound);
            output.Write((byte)' ');
            output.Write(cumulative);
            output.Write((byte)'\n');
        }

        output.Write(name.FamilyName);
        output.Write("_sum"u8);
        WriteLabels(output, le: null);
        output.Write((byte)' ');
        output.Write(point.GetHistogramSum());
        output.Write((byte)'\n');

        output.Write(name.FamilyName);
        output.Write("_count"u8);
        WriteLabels(output, le: null);
        output.Write((byte)' ');
        output.Write(point.GetHistogramCount());
        output.Write((byte)'\n');
    }

    private void AddLabel(string key, object? value)
    {
        if (!_labelNames.TryGetValue(key, out var labelName))
        {
            labelName = PrometheusNames.SanitizeLabelName(key);
            _labelNames[key] = labelName;
        }

        var text = FormatValue(value);
        for (var i = 0; i < _labels.Count; i++)
        {
            if (string.Equals(_labels[i].Key, labelName, StringComparison.Ordinal))
            {
                // Keys that sanitize to one label name are merged, values joined by ';' (as the specification asks).
                _labels[i] = new(labelName, _labels[i].Value + ";" + text);
                return;
            }
        }

        _labels.Add(new(labelName, text));
    }

    private void WriteLabels(PooledByteBuffer output, double? le)
    {
        if (_labels.Count == 0 && le is null)
        {
            return;
        }

        output.Write((byte)'{');
        for (var i = 0; i < _labels.Count; i++)
        {
            if (i > 0)
            {
                output.Write((byte)',');
            }

            output.Write(_labels[i].Key);
            output.Write("=\""u8);
            output.WriteEscaped(_labels[i].Value, escapeQuotes: true);
            output.Write((byte)'"');
        }

        if (le is { } bound)
        {
            output.Write(_labels.Count > 0 ? ",le=\""u8 : "le=\""u8);
            output.Write(bound);
            output.Write((byte)'"');
        }

        output.Write((byte)'}');
    }

    private static string FormatValue(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items => "[" + string.Join(',', items.Cast<object?>().Select(FormatValue)) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}
