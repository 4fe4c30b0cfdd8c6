using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// Thread-safe tallies of what a receiver got: export requests per signal, spans, log records and metrics, and per
/// trace its spans by name and its log records, and the latest value of each cumulative sum. Only counts, names and
/// those values are kept (each distinct span name once), so it stays small however many spans arrive.
/// </summary>
public sealed class OtlpTelemetryCounts
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tally> _traces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _sums = new(StringComparer.Ordinal);
    private readonly long[] _requests = new long[Enum.GetValues<OtlpSignal>().Length];
    private long _spans;
    private long _logRecords;
    private long _metrics;

    /// <summary>Spans received.</summary>
    public long Spans
    {
        get
        {
            lock (_lock)
            {
                return _spans;
            }
        }
    }

    /// <summary>Log records received.</summary>
    public long LogRecords
    {
        get
        {
            lock (_lock)
            {
                return _logRecords;
            }
        }
    }

    /// <summary>Metrics received (one per metric per export).</summary>
    public long Metrics
    {
        get
        {
            lock (_lock)
            {
                return _metrics;
            }
        }
    }

    /// <summary>Traces with at least one span or log record received.</summary>
    public int Traces
    {
        get
        {
            lock (_lock)
            {
                return _traces.Count;
            }
        }
    }

    /// <summary>
    /// The latest value received of the cumulative sum <paramref name="metricName"/> (a counter: its data points added
    /// up), null when none arrived. With the SDK's default cumulative temporality, the value its last export carried.
    /// </summary>
    public double? LatestSum(string metricName)
    {
        lock (_lock)
        {
            return _sums.TryGetValue(metricName, out var value) ? value : null;
        }
    }

    /// <summary>Export requests of <paramref name="signal"/> received and decoded.</summary>
    public long Requests(OtlpSignal signal)
    {
        lock (_lock)
        {
            return _requests[(int)signal];
        }
    }

    /// <summary>What arrived of the trace <paramref name="traceId"/> (32 lowercase hex characters), null when nothing did.</summary>
    public OtlpTraceCounts? Trace(string traceId)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceId, out var tally)
                ? new OtlpTraceCounts(new Dictionary<string, int>(tally.SpansByName, StringComparer.Ordinal), tally.LogRecords)
                : null;
        }
    }

    /// <summary>Counts a decoded export request (the protobuf message, framing and compression undone).</summary>
    /// <exception cref="InvalidDataException">The payload is not a valid message of the signal.</exception>
    internal void Add(OtlpSignal signal, ReadOnlySpan<byte> payload)
    {
        switch (signal)
        {
            case OtlpSignal.Traces:
                AddSpans(OtlpDecoder.Parse(ExportTraceServiceRequest.Parser, payload));
                break;
            case OtlpSignal.Metrics:
                var metrics = OtlpDecoder.Parse(ExportMetricsServiceRequest.Parser, payload);
                lock (_lock)
                {
                    _requests[(int)signal]++;
                    foreach (var metric in metrics.ResourceMetrics.SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics))
                    {
                        _metrics++;
                        if (metric.DataCase == Metric.DataOneofCase.Sum && metric.Sum.AggregationTemporality == AggregationTemporality.Cumulative)
                        {
                            _sums[Intern(metric.Name)] = metric.Sum.DataPoints.Sum(
                                p => p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble);
                        }
                    }
                }

                break;
            default:
                AddLogRecords(OtlpDecoder.Parse(ExportLogsServiceRequest.Parser, payload));
                break;
        }
    }

    private void AddSpans(ExportTraceServiceRequest request)
    {
        lock (_lock)
        {
            _requests[(int)OtlpSignal.Traces]++;
            foreach (var span in request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
            {
                _spans++;
                var name = Intern(span.Name);
                var spansByName = TallyOf(OtlpDecoder.Hex(span.TraceId)).SpansByName;
                spansByName[name] = spansByName.GetValueOrDefault(name) + 1;
            }
        }
    }

    private void AddLogRecords(ExportLogsServiceRequest request)
    {
        lock (_lock)
        {
            _requests[(int)OtlpSignal.Logs]++;
            foreach (var record in request.ResourceLogs.SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords))
            {
                _logRecords++;
                if (!record.TraceId.IsEmpty)
                {
                    TallyOf(OtlpDecoder.Hex(record.TraceId)).LogRecords++;
                }
            }
        }
    }

    private Tally TallyOf(string traceId)
    {
        if (!_traces.TryGetValue(traceId, out var tally))
        {
            tally = new Tally();
            _traces.Add(traceId, tally);
        }

        return tally;
    }

    private string Intern(string name)
    {
        if (!_names.TryGetValue(name, out var kept))
        {
            _names.Add(name, name);
            kept = name;
        }

        return kept;
    }

    private sealed class Tally
    {
        public Dictionary<string, int> SpansByName { get; } = new(StringComparer.Ordinal);

        public int LogRecords { get; set; }
    }
}
