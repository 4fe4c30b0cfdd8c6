using System.Buffers;
using System.Text;
using Observability.Redis.Protocol;

namespace Observability.Redis.Tests.Protocol;

public sealed class RespScannerTests
{
    private static RedisReply Parse(string wire)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire));
        Assert.True(RespScanner.TryRead(buffer, RespLimits.Default, out var frame));
        Assert.Equal(buffer.Length, frame.Data.Length);
        return RedisReply.Parse(frame, RespLimits.Default);
    }

    [Fact]
    public void TryRead_Resp2Types_ParsesEach()
    {
        Assert.Equal("OK", Parse("+OK\r\n").AsString());
        Assert.Equal(RedisReplyType.Error, Parse("-ERR bad\r\n").Type);
        Assert.Equal(-42, Parse(":-42\r\n").IntegerValue);
        Assert.Equal("hello", Parse("$5\r\nhello\r\n").AsString());
        Assert.Equal("", Parse("$0\r\n\r\n").AsString());
        Assert.True(Parse("$-1\r\n").IsNull);
        Assert.True(Parse("*-1\r\n").IsNull);
        var array = Parse("*3\r\n:1\r\n$1\r\na\r\n*1\r\n+x\r\n");
        Assert.Equal(RedisReplyType.Array, array.Type);
        Assert.Equal(3, array.Elements.Count);
        Assert.Equal("x", array.Elements[2].Elements[0].AsString());
    }

    [Fact]
    public void TryRead_Resp3Types_ParsesEach()
    {
        Assert.True(Parse("_\r\n").IsNull);
        Assert.Equal(3.5, Parse(",3.5\r\n").DoubleValue);
        Assert.Equal(double.PositiveInfinity, Parse(",inf\r\n").DoubleValue);
        Assert.Equal(double.NegativeInfinity, Parse(",-inf\r\n").DoubleValue);
        Assert.True(double.IsNaN(Parse(",nan\r\n").DoubleValue));
        Assert.True(Parse("#t\r\n").Boolean);
        Assert.False(Parse("#f\r\n").Boolean);
        Assert.Equal("3492890328409238509324850943850943825024385", Parse("(3492890328409238509324850943850943825024385\r\n").AsString());
        Assert.Equal(RedisReplyType.Error, Parse("!21\r\nSYNTAX invalid syntax\r\n").Type);
        Assert.Equal("Some string", Parse("=15\r\ntxt:Some string\r\n").AsString());

        var map = Parse("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n");
        Assert.Equal(RedisReplyType.Map, map.Type);
        Assert.Equal(
            [("first", 1L), ("second", 2L)],
            map.AsPairs().Select(p => (p.Key.AsString()!, p.Value.IntegerValue)).ToArray());

        var set = Parse("~2\r\n+a\r\n+b\r\n");
        Assert.Equal(RedisReplyType.Set, set.Type);
        Assert.Equal("a,b", string.Join(",", set.Elements.Select(e => e.AsString())));

        var push = Parse(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        Assert.Equal(RedisReplyType.Push, push.Type);
        Assert.Equal("hi", push.Elements[2].AsString());
    }

    [Fact]
    public void TryRead_AttributeBeforeValue_SkipsAttribute()
    {
        var reply = Parse("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:7\r\n");
        Assert.Equal(RedisReplyType.Array, reply.Type);
        Assert.Equal(7, reply.Elements[0].IntegerValue);
    }

    [Fact]
    public void TryRead_EveryTruncation_AsksForMoreData()
    {
        var wire = Encoding.UTF8.GetBytes("*2\r\n%1\r\n$3\r\nkey\r\n,1.5\r\n~2\r\n#t\r\n$5\r\nhello\r\n");
        for (var length = 0; length < wire.Length; length++)
        {
            Assert.False(RespScanner.TryRead(new ReadOnlySequence<byte>(wire, 0, length), RespLimits.Default, out _), $"prefix of {length} bytes");
        }

        Assert.True(RespScanner.TryRead(new ReadOnlySequence<byte>(wire), RespLimits.Default, out _));
    }

    [Fact]
    public void TryRead_ValueSplitAcrossSegments_Parses()
    {
        var wire = Encoding.UTF8.GetBytes("*2\r\n$10\r\n0123456789\r\n:12345\r\n");
        var sequence = Segments.Split(wire, 3);
        Assert.True(RespScanner.TryRead(sequence, RespLimits.Default, out var frame));
        var reply = RedisReply.Parse(frame, RespLimits.Default);
        Assert.Equal("0123456789", reply.Elements[0].AsString());
        Assert.Equal(12345, reply.Elements[1].IntegerValue);
    }

    [Theory]
    [InlineData("$999999999999\r\n")]
    [InlineData("*999999999999\r\n")]
    [InlineData("$-5\r\n")]
    [InlineData("%-1\r\n")]
    [InlineData("?what\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData("#x\r\n")]
    [InlineData(",abc\r\n")]
    [InlineData("$3\r\nabcXY")]
    [InlineData("(12x\r\n")]
    [InlineData("_x\r\n")]
    public void TryRead_MalformedOrAbsurd_ThrowsProtocolError(string wire) =>
        Assert.Throws<RedisProtocolException>(() => RespScanner.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire)), RespLimits.Default, out _));

    [Fact]
    public void TryRead_NestingDeeperThanLimit_ThrowsProtocolError()
    {
        var wire = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("*1\r\n", 200)) + ":1\r\n");
        Assert.Throws<RedisProtocolException>(() => RespScanner.TryRead(new ReadOnlySequence<byte>(wire), RespLimits.Default, out _));
    }

    [Fact]
    public void TryRead_LineWithoutEndBeyondLimit_ThrowsProtocolError()
    {
        var limits = RespLimits.Default with { MaxLineLength = 100 };
        var wire = Encoding.UTF8.GetBytes("+" + new string('a', 200));
        Assert.Throws<RedisProtocolException>(() => RespScanner.TryRead(new ReadOnlySequence<byte>(wire), limits, out _));
    }

    [Fact]
    public void TryRead_BulkLongerThanLimit_ThrowsBeforeDataArrives()
    {
        var limits = RespLimits.Default with { MaxBulkLength = 1024 };
        Assert.Throws<RedisProtocolException>(() => RespScanner.TryRead(new ReadOnlySequence<byte>("$2048\r\n"u8.ToArray()), limits, out _));
    }
}
