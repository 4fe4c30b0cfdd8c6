using System.Text.Json;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// Decodes an export of any signal and format, registers its resources, stores its items, journals it and
/// notifies live subscribers. Throws <see cref="OtlpDecodeException"/> when the payload is undecodable
/// (nothing is stored then).
/// </summary>
internal sealed class OtlpIngestor(
    ResourceRegistry resources,
    TraceStore traces,
    LogStore logs,
    MetricStore metrics,
    DropCounters drops,
    TelemetryNotifier notifier,
    TelemetryJournal journal,
    IOptions<StorageOptions> storageOptions,
    IOptions<OtlpOptions> otlpOptions)
{
    private readonly Utf8StringCache _strings = new();
    private readonly OtlpLimits _limits = new(
        storageOptions.Value.MaxAttributeCount,
        storageOptions.Value.MaxAttributeLength,
        storageOptions.Value.MaxSpanEvents,
        otlpOptions.Value.MaxNestingDepth);

    public IngestResult Ingest(OtlpSignal signal, OtlpFormat format, ReadOnlyMemory<byte> payload) =>
        Ingest(signal, format, payload, writeJournal: true);

    /// <summary>Applies a journal record during replay (not journaled again).</summary>
    public void Replay(JournalRecord record)
    {
        if (record.Kind == JournalRecordKind.ClearResource)
        {
            var text = System.Text.Encoding.UTF8.GetString(record.Payload);
            var separator = text.IndexOf('\0', StringComparison.Ordinal);
            var service = separator < 0 ? text : text[..separator];
            var instance = separator < 0 || separator == text.Length - 1 ? null : text[(separator + 1)..];
            if (resources.All().FirstOrDefault(r => r.ServiceName == service && r.InstanceId == instance) is { } resource)
            {
                ClearStores(resource.Id);
            }

            return;
        }

        try
        {
            Ingest((OtlpSignal)record.Kind, (OtlpFormat)record.Format, record.Payload, writeJournal: false);
        }
        catch (OtlpDecodeException)
        {
            // Only decodable exports are journaled; a damaged record is skipped rather than stopping the replay.
        }
    }

    /// <summary>Forgets the telemetry of one resource (or all when null), in memory and on disk.</summary>
    public void Clear(TelemetryResource? resource)
    {
        if (resource is null)
        {
            journal.DeleteAll();
            ClearStores(null);
            return;
        }

        journal.Append(JournalRecordKind.ClearResource, 0, System.Text.Encoding.UTF8.GetBytes($"{resource.ServiceName}\0{resource.InstanceId}"));
        ClearStores(resource.Id);
    }

    private void ClearStores(int? resourceId)
    {
        traces.Clear(resourceId);
        logs.Clear(resourceId);
        metrics.Clear(resourceId);
    }

    private IngestResult Ingest(OtlpSignal signal, OtlpFormat format, ReadOnlyMemory<byte> payload, bool writeJournal)
    {
        var context = new OtlpDecodeContext(_limits, _strings);
        long accepted;
        if (format == OtlpFormat.Json)
        {
            using var document = ParseJson(payload);
            accepted = signal switch
            {
                OtlpSignal.Traces => Store(DecodeJson(JsonTraceDecoder.Decode, document, context), context, traces.Add, "spans"),
                OtlpSignal.Logs => Store(DecodeJson(JsonLogDecoder.Decode, document, context), context, logs.Add, "logs"),
                _ => Store(DecodeJson(JsonMetricDecoder.Decode, document, context), context, metrics.Add, "metrics"),
            };
        }
        else
        {
            accepted = signal switch
            {
                OtlpSignal.Traces => Store(ProtoTraceDecoder.Decode(payload.Span, context), context, traces.Add, "spans"),
                OtlpSignal.Logs => Store(ProtoLogDecoder.Decode(payload.Span, context), context, logs.Add, "logs"),
                _ => Store(ProtoMetricDecoder.Decode(payload.Span, context), context, metrics.Add, "metrics"),
            };
        }

        if (writeJournal && accepted > 0)
        {
            journal.Append((JournalRecordKind)signal, (byte)format, payload.Span);
        }

        drops.AddRejected(context.Rejected);
        drops.AddTruncated(context.Truncated);
        return new IngestResult(accepted, context.Rejected, context.RejectionMessage);
    }

    private static List<ResourceGroup<T>> DecodeJson<T>(Func<JsonElement, OtlpDecodeContext, List<ResourceGroup<T>>> decode, JsonDocument document, OtlpDecodeContext context)
    {
        try
        {
            return decode(document.RootElement, context);
        }
        catch (InvalidOperationException exception)
        {
            // JsonDocument parses lazily: invalid UTF-8 inside a string only surfaces when the string is read.
            throw new OtlpDecodeException("The body holds a JSON string that is not valid UTF-8.", exception);
        }
    }

    private JsonDocument ParseJson(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = (_limits.MaxNestingDepth * 4) + 16 });
        }
        catch (JsonException exception)
        {
            throw new OtlpDecodeException("The body is not valid JSON: " + exception.Message, exception);
        }
    }

    private long Store<T>(List<ResourceGroup<T>> groups, OtlpDecodeContext context, Func<TelemetryResource, List<T>, int> add, string signal)
    {
        long accepted = 0;
        foreach (var group in groups)
        {
            if (group.Items.Count == 0)
            {
                continue;
            }

            var resource = resources.GetOrAdd(group.ResourceAttributes);
            if (resource is null)
            {
                context.Reject("Too many distinct resources (Dashboard:Storage:MaxResources).", group.Items.Count);
                drops.AddDroppedForResourceCap(group.Items.Count);
                continue;
            }

            var added = add(resource, group.Items);
            accepted += added;
            notifier.Publish(new TelemetryChange(signal, resource.Id, resource.ServiceName, added));
        }

        return accepted;
    }
}
