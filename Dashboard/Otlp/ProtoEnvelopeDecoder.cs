using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Decodes one span, log record or metric message; null when the item is rejected.</summary>
internal delegate T? ProtoItemReader<T>(ReadOnlySpan<byte> data, OtlpDecodeContext context)
    where T : class;

/// <summary>
/// The envelope every OTLP export request shares: the request holds resource groups (field 1); a resource group holds
/// its resource (field 1) and scope groups (field 2); a scope group holds its scope (field 1) and the items (field 2).
/// Only the items differ between traces, logs and metrics.
/// </summary>
internal static class ProtoEnvelopeDecoder
{
    public static List<ResourceGroup<T>> Decode<T>(ReadOnlySpan<byte> data, OtlpDecodeContext context, ProtoItemReader<T> readItem)
        where T : class, IScopedRecord
    {
        var groups = new List<ResourceGroup<T>>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.LengthDelimited)
            {
                groups.Add(ReadResourceGroup(reader.ReadBytes(), context, readItem));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return groups;
    }

    private static ResourceGroup<T> ReadResourceGroup<T>(ReadOnlySpan<byte> data, OtlpDecodeContext context, ProtoItemReader<T> readItem)
        where T : class, IScopedRecord
    {
        TelemetryAttribute[] resource = [];
        var items = new List<T>();
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    resource = ProtoCommonDecoder.ReadResource(reader.ReadBytes(), context);
                    break;
                case (2, WireType.LengthDelimited):
                    ReadScopeGroup(reader.ReadBytes(), context, readItem, items);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new ResourceGroup<T>(resource, items);
    }

    private static void ReadScopeGroup<T>(ReadOnlySpan<byte> data, OtlpDecodeContext context, ProtoItemReader<T> readItem, List<T> items)
        where T : class, IScopedRecord
    {
        var scope = InstrumentationScope.Empty;
        var first = items.Count;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field, wireType)
            {
                case (1, WireType.LengthDelimited):
                    scope = ProtoCommonDecoder.ReadScope(reader.ReadBytes(), context);
                    break;
                case (2, WireType.LengthDelimited):
                    if (readItem(reader.ReadBytes(), context) is { } item)
                    {
                        items.Add(item);
                    }

                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        // The scope may follow its items on the wire, so it is applied once the whole group is read.
        for (var i = first; i < items.Count; i++)
        {
            items[i].Scope = scope;
        }
    }
}
