using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>Adds the current correlation ID to every log record as the attribute <see cref="CorrelationId.BaggageKey"/>.</summary>
internal sealed class CorrelationIdLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (CorrelationId.Current is not { } id)
        {
            return;
        }

        var attributes = data.Attributes;
        var count = attributes?.Count ?? 0;
        var withId = new List<KeyValuePair<string, object?>>(count + 1);
        for (var i = 0; i < count; i++)
        {
            var attribute = attributes![i];
            if (attribute.Key == CorrelationId.BaggageKey)
            {
                return;
            }

            withId.Add(attribute);
        }

        withId.Add(new(CorrelationId.BaggageKey, id));
        data.Attributes = withId;
    }
}
