namespace Observability.Redis.Tests.Protocol;

public sealed class RedisValueTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(7L, "7")]
    [InlineData(-1L, "-1")]
    [InlineData(1234567890123L, "1234567890123")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void Integer_EncodesAsDecimalText(long number, string expected)
    {
        RedisValue value = number;
        Assert.Equal(expected.Length, value.ByteCount);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(value.ToArray()));
    }

    [Fact]
    public void Text_EncodesAsUtf8()
    {
        RedisValue value = "h\u00e9llo \u2603";
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("h\u00e9llo \u2603"), value.ToArray());
        Assert.Equal("h\u00e9llo \u2603", value.ToString());
    }

    [Fact]
    public void Bytes_KeepEveryByte()
    {
        var bytes = new byte[] { 0, 13, 10, 255 };
        RedisValue fromArray = bytes;
        RedisValue fromMemory = bytes.AsMemory(1, 2);
        Assert.Equal(bytes, fromArray.ToArray());
        Assert.Equal([13, 10], fromMemory.ToArray());
    }

    [Fact]
    public void Equality_ComparesWireBytes()
    {
        Assert.Equal((RedisValue)"42", (RedisValue)42);
        Assert.Equal(((RedisValue)"42").GetHashCode(), ((RedisValue)42L).GetHashCode());
        Assert.NotEqual((RedisValue)"a", (RedisValue)"b");
    }

    [Fact]
    public void NullText_IsRejected() => Assert.Throws<ArgumentNullException>(() => (RedisValue)(string)null!);
}
