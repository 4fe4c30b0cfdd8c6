using Observability.WebSocketHub.Protocol;

namespace Observability.WebSocketHub.Tests;

public sealed class StreamIdTests
{
    [Theory]
    [InlineData("9-5", "10-0")]
    [InlineData("1700000000000-9", "1700000000000-10")]
    [InlineData("1700000000000-99", "1700000000001-0")]
    [InlineData("5", "5-1")]
    public void CompareTo_NumericOrder_LeftComesFirst(string left, string right)
    {
        Assert.True(StreamId.Parse(left) < StreamId.Parse(right));
        Assert.True(StreamId.Parse(right) > StreamId.Parse(left));
        Assert.Equal(StreamId.Parse(left), StreamId.Parse(left));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1-")]
    [InlineData("a-1")]
    [InlineData("1-2-3")]
    [InlineData("+1-2")]
    public void TryParse_NotAStreamId_False(string text) => Assert.False(StreamId.TryParse(text, out _));

    [Fact]
    public void ToString_Parsed_RoundTrips() => Assert.Equal("1700000000000-3", StreamId.Parse("1700000000000-3").ToString());
}
