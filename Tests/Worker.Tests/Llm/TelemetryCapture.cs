using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>One measurement of an LLM instrument.</summary>
internal sealed record CapturedMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);

/// <summary>
/// Listens in process to the LLM spans of one trace (a root activity this capture starts, so spans of tests running
/// at the same time are ignored) and to the <c>Observability.Worker.Llm</c> meters (Microsoft.Extensions.AI creates
/// its meter itself, not through <see cref="IMeterFactory"/>: tests using this run in the
/// <see cref="TelemetryListeners"/> collection, alone).
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener = new();
    private readonly Activity _root;
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<CapturedMeasurement> _measurements = new();

    public TelemetryCapture()
    {
        // Recorded, so the SDK's parent-based sampler records the calls made under it too.
        _root = new Activity("llm-test") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        var traceId = _root.TraceId;
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "System.Net.Http" || source.Name == LlmTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.TraceId == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    _activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activityListener);

        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LlmTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meterListener.Start();
    }

    /// <summary>The LLM client spans recorded so far.</summary>
    public IReadOnlyList<Activity> LlmSpans => [.. _activities.Where(activity => activity.Source.Name == LlmTelemetry.Name)];

    /// <summary>The trace the LLM calls made while this capture lives belong to.</summary>
    public ActivityTraceId TraceId => _root.TraceId;

    /// <summary>Every span recorded so far (LLM and HttpClient).</summary>
    public IReadOnlyList<Activity> AllSpans => [.. _activities];

    public IReadOnlyList<CapturedMeasurement> Measurements(string instrument) =>
        [.. _measurements.Where(measurement => measurement.Instrument == instrument)];

    public void Dispose()
    {
        _meterListener.Dispose();
        _activityListener.Dispose();
        _root.Stop();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue;
        }

        _measurements.Enqueue(new CapturedMeasurement(instrument.Name, instrument.Unit, value, copy));
    }
}
