using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes an OTLP/JSON <c>ExportTraceServiceRequest</c> into <see cref="SpanRecord"/>s.</summary>
internal static class JsonTraceDecoder
{
    public static List<ResourceGroup<SpanRecord>> Decode(JsonElement root, OtlpDecodeContext context)
    {
        var groups = new List<ResourceGroup<SpanRecord>>();
        foreach (var resourceSpans in JsonFields.Array(root, "resourceSpans"))
        {
            var resource = JsonCommonDecoder.ReadResource(resourceSpans, context);
            var spans = new List<SpanRecord>();
            foreach (var scopeSpans in JsonFields.Array(resourceSpans, "scopeSpans"))
            {
                var scope = JsonCommonDecoder.ReadScope(scopeSpans, context);
                foreach (var item in JsonFields.Array(scopeSpans, "spans"))
                {
                    if (ReadSpan(item, context) is { } span)
                    {
                        span.Scope = scope;
                        spans.Add(span);
                    }
                }
            }

            groups.Add(new ResourceGroup<SpanRecord>(resource, spans));
        }

        return groups;
    }

    private static SpanRecord? ReadSpan(JsonElement item, OtlpDecodeContext context)
    {
        var valid = JsonCommonDecoder.TryReadTraceId(item, "traceId", out var traceId)
            & JsonCommonDecoder.TryReadSpanId(item, "spanId", out var spanId)
            & JsonCommonDecoder.TryReadSpanId(item, "parentSpanId", out var parentId);
        var span = new SpanRecord
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parentId,
            TraceState = NullIfEmpty(JsonFields.String(item, "traceState")),
            Name = context.Strings.Get(JsonFields.String(item, "name") ?? string.Empty),
            Kind = (SpanKind)Math.Clamp(JsonFields.Int64(item, "kind"), 0, 5),
            StartUnixNano = JsonFields.Time(item, "startTimeUnixNano"),
            EndUnixNano = JsonFields.Time(item, "endTimeUnixNano"),
            Attributes = JsonCommonDecoder.ReadAttributes(item, "attributes", context),
            Flags = (uint)JsonFields.Int64(item, "flags"),
        };

        var dropped = JsonFields.Int64(item, "droppedAttributesCount") + JsonFields.Int64(item, "droppedEventsCount")
            + JsonFields.Int64(item, "droppedLinksCount");
        var events = new List<SpanEvent>();
        foreach (var eventItem in JsonFields.Array(item, "events"))
        {
            var spanEvent = new SpanEvent(
                context.Strings.Get(JsonFields.String(eventItem, "name") ?? string.Empty),
                JsonFields.Time(eventItem, "timeUnixNano"),
                JsonCommonDecoder.ReadAttributes(eventItem, "attributes", context));
            if (events.Count < context.Limits.MaxSpanEvents)
            {
                events.Add(spanEvent);
            }
            else
            {
                context.Truncated++;
                dropped++;
            }
        }

        var links = new List<SpanLink>();
        foreach (var linkItem in JsonFields.Array(item, "links"))
        {
            var linkValid = JsonCommonDecoder.TryReadTraceId(linkItem, "traceId", out var linkTrace)
                & JsonCommonDecoder.TryReadSpanId(linkItem, "spanId", out var linkSpan);
            var link = new SpanLink(linkTrace, linkSpan, NullIfEmpty(JsonFields.String(linkItem, "traceState")),
                JsonCommonDecoder.ReadAttributes(linkItem, "attributes", context));
            if (linkValid && links.Count < context.Limits.MaxSpanEvents)
            {
                links.Add(link);
            }
            else
            {
                context.Truncated++;
                dropped++;
            }
        }

        if (JsonFields.TryGet(item, "status", out var status))
        {
            span.Status = (SpanStatusCode)Math.Clamp(JsonFields.Int64(status, "code"), 0, 2);
            var message = JsonFields.String(status, "message");
            span.StatusMessage = string.IsNullOrEmpty(message) ? null : context.Truncate(message);
        }

        span.Events = [.. events];
        span.Links = [.. links];
        span.DroppedCount = (int)Math.Clamp(dropped, 0, int.MaxValue);
        if (!valid || traceId.IsEmpty || spanId == 0)
        {
            context.Reject("Spans need a 32-hex-digit traceId and a 16-hex-digit spanId.");
            return null;
        }

        return span;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
