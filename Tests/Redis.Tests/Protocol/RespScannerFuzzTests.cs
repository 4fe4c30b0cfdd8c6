using System.Buffers;
using System.Text;
using Observability.Redis.Protocol;

namespace Observability.Redis.Tests.Protocol;

/// <summary>Random and mangled input: the parser must answer, throw a protocol error, or ask for more; nothing else.</summary>
public sealed class RespScannerFuzzTests
{
    private static readonly string[] Valid =
    [
        "+OK\r\n", "-ERR x\r\n", ":123\r\n", "$5\r\nhello\r\n", "$-1\r\n", "*2\r\n:1\r\n:2\r\n", "_\r\n", ",1.25\r\n",
        "#t\r\n", "(123456789012345678901234567890\r\n", "!3\r\nerr\r\n", "=8\r\ntxt:abcd\r\n", "%1\r\n+a\r\n:1\r\n",
        "~2\r\n+a\r\n+b\r\n", ">2\r\n+message\r\n+x\r\n", "|1\r\n+a\r\n+b\r\n:5\r\n",
    ];

    [Fact]
    public void TryRead_RandomBytes_NeverCrashesOrAllocatesUnbounded()
    {
        var random = new Random(12345);
        var limits = RespLimits.Default with { MaxBulkLength = 1 << 20, MaxAggregateLength = 1 << 16, MaxDepth = 32, MaxLineLength = 1024 };
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (random.Next(2) == 0 && bytes.Length > 0)
            {
                // Bias towards plausible type bytes so the parser gets past the first check.
                bytes[0] = (byte)"+-:$*_,#(!=%~>|"[random.Next(15)];
            }

            Exercise(bytes, limits, random);
        }

        // 20,000 inputs of at most 64 bytes: the parser's own allocations stay far below what a declared length would cost.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L * 1024 * 1024);
    }

    [Fact]
    public void TryRead_MutatedValidFrames_NeverCrashes()
    {
        var random = new Random(54321);
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Valid[random.Next(Valid.Length)])));
            var mutations = random.Next(0, 3);
            for (var m = 0; m < mutations; m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var truncated = bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray();
            Exercise(truncated, RespLimits.Default, random);
        }
    }

    private static void Exercise(byte[] bytes, RespLimits limits, Random random)
    {
        var sequence = random.Next(2) == 0 ? new ReadOnlySequence<byte>(bytes) : Segments.Split(bytes, random.Next(1, 8));
        try
        {
            while (RespScanner.TryRead(sequence, limits, out var frame))
            {
                Assert.True(frame.Data.Length > 0);
                _ = RedisReply.Parse(frame, limits);
                sequence = sequence.Slice(frame.Data.End);
            }
        }
        catch (RedisProtocolException)
        {
            // Rejected as it should be.
        }
    }
}
