namespace Observability.TestInfrastructure.Otlp;

/// <summary>Decodes the messages of <c>common.proto</c> and <c>resource.proto</c> shared by every signal.</summary>
internal static class OtlpCommonDecoder
{
    public static OtlpResource ReadResource(ReadOnlySpan<byte> message)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                ReadKeyValue(reader.ReadLengthDelimited(), attributes);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return new OtlpResource { Attributes = attributes };
    }

    public static OtlpScope ReadScope(ReadOnlySpan<byte> message)
    {
        string name = string.Empty, version = string.Empty;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    name = reader.ReadString();
                    break;
                case 2:
                    version = reader.ReadString();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new OtlpScope { Name = name, Version = version };
    }

    /// <summary>Reads one <c>KeyValue</c> message into <paramref name="into"/> (a repeated key keeps its last value).</summary>
    public static void ReadKeyValue(ReadOnlySpan<byte> message, Dictionary<string, object?> into)
    {
        var key = string.Empty;
        object? value = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1:
                    key = reader.ReadString();
                    break;
                case 2:
                    value = ReadAnyValue(reader.ReadLengthDelimited());
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        into[key] = value;
    }

    /// <summary>
    /// Reads an <c>AnyValue</c>: string, bool, long, double, an <see cref="IReadOnlyList{T}"/> of values, an
    /// <see cref="IReadOnlyDictionary{TKey, TValue}"/> for a key/value list, byte[]; null when empty.
    /// </summary>
    public static object? ReadAnyValue(ReadOnlySpan<byte> message)
    {
        object? value = null;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            value = field switch
            {
                1 => reader.ReadString(),
                2 => reader.ReadVarint() != 0,
                3 => (long)reader.ReadVarint(),
                4 => reader.ReadDouble(),
                5 => ReadArray(reader.ReadLengthDelimited()),
                6 => ReadKeyValueList(reader.ReadLengthDelimited()),
                7 => reader.ReadLengthDelimited().ToArray(),
                _ => SkipAndKeep(ref reader, wireType, value),
            };
        }

        return value;
    }

    private static object? SkipAndKeep(ref ProtoReader reader, ProtoWireType wireType, object? value)
    {
        reader.Skip(wireType);
        return value;
    }

    private static List<object?> ReadArray(ReadOnlySpan<byte> message)
    {
        var values = new List<object?>();
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                values.Add(ReadAnyValue(reader.ReadLengthDelimited()));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return values;
    }

    private static Dictionary<string, object?> ReadKeyValueList(ReadOnlySpan<byte> message)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1)
            {
                ReadKeyValue(reader.ReadLengthDelimited(), values);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return values;
    }
}
