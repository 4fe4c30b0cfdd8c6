using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Observability.Worker.Events;

/// <summary>
/// New event ids: UUID version 7 (RFC 9562: the Unix time in milliseconds in the first 48 bits, then the version, 74
/// random bits and the variant), the layout <see cref="Guid.CreateVersion7(DateTimeOffset)"/> gives, with the random
/// bits from <see cref="RandomNumberGenerator"/> (a cryptographically secure generator, as for
/// <see cref="Guid.NewGuid"/>).
/// </summary>
/// <remarks>
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> takes its random bits from <see cref="Guid.NewGuid"/>, which on
/// Linux reads <c>/dev/urandom</c> with a system call per id (the runtime's native library is built without
/// <c>arc4random</c>); <see cref="RandomNumberGenerator"/> draws them from OpenSSL's generator in the process. A run
/// numbers ~18 events, each inside its stream's lock (docs/benchmarks.md, issue #15).
/// </remarks>
internal static class WorkflowEventIds
{
    /// <summary>A new version 7 id for an event at <paramref name="timestamp"/> (not before 1970, as for <see cref="Guid.CreateVersion7(DateTimeOffset)"/>).</summary>
    public static Guid New(DateTimeOffset timestamp)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[6..]);

        // Big-endian: the 48-bit time, 4 bits version 7 and 12 random bits, 2 bits variant 10 and 62 random bits.
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, milliseconds);
        time[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
