using System.Text;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// Returns one shared string for repeated short UTF-8 values (attribute keys, span names, service names), so
/// stored telemetry does not hold a copy per item. A fixed-size table: a miss replaces the slot, never grows.
/// Safe for concurrent use: slots hold immutable entries swapped atomically.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxCachedLength = 96;
    private readonly Entry?[] _slots;

    public Utf8StringCache(int slotCount = 16_384)
    {
        _slots = new Entry?[slotCount];
    }

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = (int)((uint)hash.ToHashCode() % (uint)_slots.Length);
        var entry = Volatile.Read(ref _slots[slot]);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref _slots[slot], new Entry(utf8.ToArray(), value));
        return value;
    }

    /// <summary>Shares <paramref name="value"/> with earlier equal strings when it is short.</summary>
    public string Get(string value)
    {
        if (value.Length > MaxCachedLength / 3)
        {
            return value;
        }

        Span<byte> buffer = stackalloc byte[MaxCachedLength];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        return Get(buffer[..length]);
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
