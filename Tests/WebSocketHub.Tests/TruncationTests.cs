using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Protocol;
using Observability.WebSocketHub.Subscriptions;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>When a client's last event id is behind what a bounded stream still holds, read from a real XINFO STREAM.</summary>
[Trait("Category", "Integration")]
public sealed class TruncationTests(RedisServerFixture redis)
{
    // The hub reads XINFO STREAM inside a script; this returns it in the same shape.
    private const string Info = "return redis.call('XINFO', 'STREAM', KEYS[1])";

    [Theory]
    [InlineData("3-0", "6-0")]
    [InlineData("6-0", null)]
    [InlineData("9-0", null)]
    [InlineData("10-0", null)]
    [InlineData("12-0", null)]
    public async Task FindTruncation_TrimmedStream_OnlyWhenEntriesAfterItAreGone(string lastSeen, string? expected)
    {
        using var timeout = TestTimeout.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var client = connection.GetDatabase();
        var key = RedisServerFixture.NewKeyPrefix() + "stream";
        for (var ms = 1; ms <= 10; ms++)
        {
            await client.ExecuteAsync("XADD", (RedisKey)key, "MAXLEN", "5", $"{ms}-0", "f", "v");
        }

        var info = await client.ScriptEvaluateAsync(Info, [key]);

        Assert.Equal(expected, StreamReplayer.FindTruncation(info, StreamId.Parse(lastSeen)));
    }

    [Theory]
    [InlineData("6-0", "6-0")]
    [InlineData("7-0", "6-0")]
    [InlineData("8-0", null)]
    public async Task FindTruncation_EntryDeletedById_OnlyWhenItIsAfterTheLastSeen(string lastSeen, string? expected)
    {
        using var timeout = TestTimeout.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var client = connection.GetDatabase();
        var key = RedisServerFixture.NewKeyPrefix() + "stream";
        for (var ms = 6; ms <= 10; ms++)
        {
            await client.ExecuteAsync("XADD", (RedisKey)key, $"{ms}-0", "f", "v");
        }

        await client.ExecuteAsync("XDEL", (RedisKey)key, "8-0");
        var info = await client.ScriptEvaluateAsync(Info, [key]);

        Assert.Equal(expected, StreamReplayer.FindTruncation(info, StreamId.Parse(lastSeen)));
    }

    [Fact]
    public async Task FindTruncation_EveryEntryDeleted_ReportsTheGapWithNoFirstId()
    {
        using var timeout = TestTimeout.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var client = connection.GetDatabase();
        var key = RedisServerFixture.NewKeyPrefix() + "stream";
        await client.ExecuteAsync("XADD", (RedisKey)key, "1-0", "f", "v");
        await client.ExecuteAsync("XADD", (RedisKey)key, "2-0", "f", "v");
        await client.ExecuteAsync("XTRIM", (RedisKey)key, "MAXLEN", "0");
        var info = await client.ScriptEvaluateAsync(Info, [key]);

        Assert.Equal(string.Empty, StreamReplayer.FindTruncation(info, StreamId.Parse("1-0")));
        Assert.Null(StreamReplayer.FindTruncation(info, StreamId.Parse("2-0")));
    }
}
