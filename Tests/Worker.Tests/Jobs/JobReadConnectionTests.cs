using Observability.Worker.Jobs;
using StackExchange.Redis;

namespace Observability.Worker.Tests.Jobs;

public sealed class JobReadConnectionTests
{
    private static readonly RedisResult Entries = RedisResult.Create(
    [
        RedisResult.Create([RedisResult.Create((RedisValue)"1-0"), RedisResult.Create(["message", "first", "traceparent", "tp"])]),
        RedisResult.Create([RedisResult.Create((RedisValue)"2-0"), RedisResult.Create(["message", "second"])]),
    ]);

    [Fact]
    public void ParseReply_Resp2StreamList_EntriesWithTheirFields()
    {
        var reply = RedisResult.Create([RedisResult.Create([RedisResult.Create((RedisValue)"workflows.jobs"), Entries])]);

        AssertEntries(JobReadConnection.ParseReply(reply));
    }

    [Fact]
    public void ParseReply_Resp3MapAsKeyAndValue_EntriesWithTheirFields()
    {
        var reply = RedisResult.Create([RedisResult.Create((RedisValue)"workflows.jobs"), Entries]);

        AssertEntries(JobReadConnection.ParseReply(reply));
    }

    [Fact]
    public void ParseReply_BlockPassedWithoutEntries_Empty()
        => Assert.Empty(JobReadConnection.ParseReply(RedisResult.Create(RedisValue.Null)));

    private static void AssertEntries(StreamEntry[] entries)
    {
        Assert.Equal(["1-0", "2-0"], entries.Select(e => e.Id.ToString()));
        Assert.Equal("first", (string?)entries[0]["message"]);
        Assert.Equal("tp", (string?)entries[0]["traceparent"]);
        Assert.Equal("second", (string?)entries[1]["message"]);
    }
}
