using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>
/// The <c>Observability.Resilience</c> meter. <c>http.client.resilience.events</c> counts what the pipeline did
/// (tag <c>resilience.event.name</c>: <c>retry</c>, <c>attempt_timeout</c>, <c>total_timeout</c>,
/// <c>circuit_opened</c>, <c>circuit_half_opened</c>, <c>circuit_closed</c>, <c>rate_limiter_rejected</c>);
/// <c>http.client.resilience.retry.delay</c> records how long each retry waited. Both carry
/// <c>http.client.name</c> and, where an outcome caused the event, <c>error.type</c> (status code or exception type).
/// </summary>
internal sealed class ResilienceMetrics
{
    public const string MeterName = "Observability.Resilience";
    public const string EventsInstrument = "http.client.resilience.events";
    public const string RetryDelayInstrument = "http.client.resilience.retry.delay";

    public const string ClientNameTag = "http.client.name";
    public const string EventNameTag = "resilience.event.name";
    public const string ErrorTypeTag = "error.type";

    private readonly Counter<long> _events;
    private readonly Histogram<double> _retryDelay;

    public ResilienceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>(EventsInstrument, "{event}",
            "Resilience events of HTTP clients: retries, timeouts, circuit breaker transitions, rate limiter rejections.");
        _retryDelay = meter.CreateHistogram<double>(RetryDelayInstrument, "s",
            "Time an HTTP client waited before a retry (back-off or Retry-After).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 2, 4, 8, 16, 30] });
    }

    public void Event(string clientName, string eventName, string? errorType = null)
    {
        if (!_events.Enabled)
        {
            return;
        }

        var tags = new TagList { { ClientNameTag, clientName }, { EventNameTag, eventName } };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _events.Add(1, tags);
    }

    public void RetryDelay(string clientName, string errorType, TimeSpan delay) =>
        _retryDelay.Record(delay.TotalSeconds, new TagList { { ClientNameTag, clientName }, { ErrorTypeTag, errorType } });
}
