using System.Text.Json;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes an OTLP/JSON <c>ExportLogsServiceRequest</c> into <see cref="LogRecordEntry"/>s.</summary>
internal static class JsonLogDecoder
{
    public static List<ResourceGroup<LogRecordEntry>> Decode(JsonElement root, OtlpDecodeContext context)
    {
        var groups = new List<ResourceGroup<LogRecordEntry>>();
        foreach (var resourceLogs in JsonFields.Array(root, "resourceLogs"))
        {
            var resource = JsonCommonDecoder.ReadResource(resourceLogs, context);
            var logs = new List<LogRecordEntry>();
            foreach (var scopeLogs in JsonFields.Array(resourceLogs, "scopeLogs"))
            {
                var scope = JsonCommonDecoder.ReadScope(scopeLogs, context);
                foreach (var item in JsonFields.Array(scopeLogs, "logRecords"))
                {
                    if (ReadLogRecord(item, context) is { } log)
                    {
                        log.Scope = scope;
                        logs.Add(log);
                    }
                }
            }

            groups.Add(new ResourceGroup<LogRecordEntry>(resource, logs));
        }

        return groups;
    }

    private static LogRecordEntry? ReadLogRecord(JsonElement item, OtlpDecodeContext context)
    {
        var valid = JsonCommonDecoder.TryReadTraceId(item, "traceId", out var traceId)
            & JsonCommonDecoder.TryReadSpanId(item, "spanId", out var spanId);
        var severityText = JsonFields.String(item, "severityText");
        var eventName = JsonFields.String(item, "eventName");
        var log = new LogRecordEntry
        {
            TimeUnixNano = JsonFields.Time(item, "timeUnixNano"),
            ObservedTimeUnixNano = JsonFields.Time(item, "observedTimeUnixNano"),
            SeverityNumber = (int)Math.Clamp(JsonFields.Int64(item, "severityNumber"), 0, 24),
            SeverityText = severityText is null ? null : context.Strings.Get(severityText),
            EventName = string.IsNullOrEmpty(eventName) ? null : context.Strings.Get(eventName),
            Body = JsonFields.TryGet(item, "body", out var body) ? JsonCommonDecoder.ReadAnyValue(body, context) : AttributeValue.Empty,
            Attributes = JsonCommonDecoder.ReadAttributes(item, "attributes", context),
            TraceId = traceId,
            SpanId = spanId,
            Flags = (uint)JsonFields.Int64(item, "flags"),
        };

        if (!valid)
        {
            context.Reject("Log records' traceId must be 32 hex digits and spanId 16 when present.");
            return null;
        }

        return log;
    }
}
