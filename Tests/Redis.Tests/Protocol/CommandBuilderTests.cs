using System.Text;
using Observability.Redis.Protocol;

namespace Observability.Redis.Tests.Protocol;

public sealed class CommandBuilderTests
{
    [Fact]
    public void Add_MixedArguments_EncodesRespArrayOfBulkStrings()
    {
        var builder = new CommandBuilder("SET", 4);
        try
        {
            builder.Add((RedisValue)"k\u00e9y");
            builder.Add((RedisValue)new byte[] { 0, 255 });
            builder.Add("PX"u8);
            builder.Add(-1500L);
            Assert.True(builder.IsComplete);
            Assert.Equal("*5\r\n$3\r\nSET\r\n$4\r\nk\u00e9y\r\n$2\r\n\0\u00ff\r\n$2\r\nPX\r\n$5\r\n-1500\r\n", Encoding.Latin1.GetString(builder.Written).Replace("\u00c3\u00a9", "\u00e9", StringComparison.Ordinal));
        }
        finally
        {
            builder.Dispose();
        }
    }

    [Fact]
    public void Add_LargeValue_GrowsBuffer()
    {
        var value = new byte[1_000_000];
        Random.Shared.NextBytes(value);
        var builder = new CommandBuilder("SET", 2);
        try
        {
            builder.Add((RedisValue)"k");
            builder.Add((RedisValue)value);
            var written = builder.Written;
            Assert.True(written[^(value.Length + 2)..^2].SequenceEqual(value));
        }
        finally
        {
            builder.Dispose();
        }
    }

    [Fact]
    public void Add_MoreArgumentsThanAnnounced_Throws()
    {
        var builder = new CommandBuilder("GET", 1);
        try
        {
            builder.Add("a"u8);
            var threw = false;
            try
            {
                builder.Add("b"u8);
            }
            catch (InvalidOperationException)
            {
                threw = true;
            }

            Assert.True(threw);
        }
        finally
        {
            builder.Dispose();
        }
    }
}
