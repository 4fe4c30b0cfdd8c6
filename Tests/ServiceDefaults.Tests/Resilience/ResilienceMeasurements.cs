using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Observability.ServiceDefaults.Resilience;

namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>
/// Listens to the <c>Observability.Resilience</c> meter of one host only (meters are told apart by the host's
/// <see cref="IMeterFactory"/>), so tests running in parallel never see each other's measurements.
/// </summary>
internal sealed class ResilienceMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<TimeSpan> _retryDelays = new();

    public ResilienceMeasurements(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ResilienceMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ResilienceMetrics.EventNameTag)
                {
                    _events.Enqueue((string)tag.Value!);
                }
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => _retryDelays.Enqueue(TimeSpan.FromSeconds(value)));
        _listener.Start();
    }

    /// <summary>Values of <c>resilience.event.name</c> in the order they were counted.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    /// <summary>Every <c>http.client.resilience.retry.delay</c> recorded.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays => [.. _retryDelays];

    public int Count(string eventName) => _events.Count(name => name == eventName);

    public void Dispose() => _listener.Dispose();
}
