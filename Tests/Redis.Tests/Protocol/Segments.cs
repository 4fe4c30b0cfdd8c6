using System.Buffers;

namespace Observability.Redis.Tests.Protocol;

/// <summary>Builds multi-segment sequences, as a socket delivers data in pieces.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, int pieceLength)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segments(data.AsMemory(0, Math.Min(pieceLength, data.Length)), 0);
        var last = first;
        for (var offset = pieceLength; offset < data.Length; offset += pieceLength)
        {
            var next = new Segments(data.AsMemory(offset, Math.Min(pieceLength, data.Length - offset)), offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
