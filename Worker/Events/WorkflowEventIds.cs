using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Observability.Worker.Events;

/// <summary>
/// New event ids: UUID version 7 (RFC 9562: the Unix time in milliseconds in the first 48 bits, then the version, 74
/// random bits and the variant), the layout <see cref="Guid.CreateVersion7(DateTimeOffset)"/> gives, with the random
/// bits from <see cref="RandomNumberGenerator"/> (a cryptographically secure generator, as for
/// <see cref="Guid.NewGuid"/>), drawn for many ids at once.
/// </summary>
/// <remarks>
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> takes its random bits from <see cref="Guid.NewGuid"/>, which on
/// Linux reads <c>/dev/urandom</c> with a system call per id (the runtime's native library is built without
/// <c>arc4random</c>), and one <see cref="RandomNumberGenerator.Fill"/> per id costs about as much in OpenSSL's
/// generator. A run numbers ~18 events, each inside its stream's lock (docs/benchmarks.md, issue #15), so each thread
/// draws the random bytes of <see cref="IdsPerDraw"/> ids in one call and uses every byte once.
/// </remarks>
internal static class WorkflowEventIds
{
    /// <summary>How many ids' random bytes one call to the generator draws.</summary>
    internal const int IdsPerDraw = 64;

    // Bytes 6 to 15 of the id: 4 bits of byte 6 and 6 bits of byte 8 are overwritten by the version and the variant.
    private const int RandomBytesPerId = 10;

    [ThreadStatic]
    private static byte[]? _random;

    [ThreadStatic]
    private static int _used;

    /// <summary>A new version 7 id for an event at <paramref name="timestamp"/> (not before 1970, as for <see cref="Guid.CreateVersion7(DateTimeOffset)"/>).</summary>
    public static Guid New(DateTimeOffset timestamp)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));
        var random = _random;
        if (random is null || _used == random.Length)
        {
            random = _random ??= new byte[IdsPerDraw * RandomBytesPerId];
            RandomNumberGenerator.Fill(random);
            _used = 0;
        }

        // Big-endian: the 48-bit time, 4 bits version 7 and 12 random bits, 2 bits variant 10 and 62 random bits.
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        random.AsSpan(_used, RandomBytesPerId).CopyTo(bytes[6..]);
        _used += RandomBytesPerId;
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
