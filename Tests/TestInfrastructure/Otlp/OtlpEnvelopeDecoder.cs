using static Observability.TestInfrastructure.Otlp.OtlpCommonDecoder;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// Walks the envelope every OTLP export request shares: request { 1: Resource* { 1: resource, 2: Scope* { 1: scope,
/// 2: item* } } }, handing each item to a signal-specific decoder together with its resource and scope.
/// </summary>
internal static class OtlpEnvelopeDecoder
{
    public static List<T> Decode<T>(ReadOnlySpan<byte> request, OtlpItemDecoder<T> decodeItem)
    {
        var items = new List<T>();
        var reader = new ProtoReader(request);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                ReadResourceGroup(reader.ReadLengthDelimited(), decodeItem, items);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return items;
    }

    private static void ReadResourceGroup<T>(ReadOnlySpan<byte> message, OtlpItemDecoder<T> decodeItem, List<T> into)
    {
        // Field order on the wire is not guaranteed: find the resource first, then walk the scopes.
        var resource = new OtlpResource { Attributes = new Dictionary<string, object?>() };
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                resource = ReadResource(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 2)
            {
                ReadScopeGroup(reader.ReadLengthDelimited(), resource, decodeItem, into);
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    private static void ReadScopeGroup<T>(
        ReadOnlySpan<byte> message, OtlpResource resource, OtlpItemDecoder<T> decodeItem, List<T> into)
    {
        var scope = OtlpScope.Empty;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                scope = ReadScope(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 2)
            {
                into.Add(decodeItem(reader.ReadLengthDelimited(), resource, scope));
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }
}
