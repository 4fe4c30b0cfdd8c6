using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>
/// Copies the correlation ID from baggage onto every span as the attribute <see cref="CorrelationId.BaggageKey"/>.
/// Works at start, when the parent's baggage is already known, so it does not depend on where the exporters sit in
/// the processor chain. The server span, which starts before the ID is chosen, is tagged by the middleware.
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
}
