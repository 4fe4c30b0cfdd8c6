using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>
/// Copies the correlation ID from baggage onto every span as the attribute <see cref="CorrelationId.BaggageKey"/>:
/// at start, when the parent's baggage is known, and again at end for spans whose baggage was set after they started
/// (a queue consumer restoring the producer's baggage). The telemetry defaults add it ahead of the export processor.
/// The server span, which starts before the ID is chosen, is tagged by <see cref="CorrelationIdMiddleware"/>.
/// </summary>
internal sealed class CorrelationIdActivityProcessor : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (data.IsAllDataRequested && data.GetBaggageItem(CorrelationId.BaggageKey) is { } id)
        {
            data.SetTag(CorrelationId.BaggageKey, id);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (data.IsAllDataRequested
            && data.GetTagItem(CorrelationId.BaggageKey) is null
            && data.GetBaggageItem(CorrelationId.BaggageKey) is { } id)
        {
            data.SetTag(CorrelationId.BaggageKey, id);
        }
    }
}
