using System.Buffers.Binary;
using System.Globalization;

namespace Observability.Dashboard.Storage;

/// <summary>8-byte span ids held as <see cref="ulong"/>; 0 means none.</summary>
internal static class SpanIds
{
    public static ulong FromBytes(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64BigEndian(bytes);

    public static bool TryParse(ReadOnlySpan<char> hex, out ulong spanId)
    {
        spanId = 0;
        return hex.Length == 16 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out spanId);
    }

    public static string? ToHex(ulong spanId) => spanId == 0 ? null : spanId.ToString("x16", CultureInfo.InvariantCulture);
}
