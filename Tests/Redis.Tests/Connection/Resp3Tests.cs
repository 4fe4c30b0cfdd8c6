using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Connection;

/// <summary>RESP3 types as the real server sends them after <c>HELLO 3</c>.</summary>
[Trait("Category", "Integration")]
public sealed class Resp3Tests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await TestClients.ConnectAsync(redis.ConnectionString + ",protocol=resp3");

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task Hello_ReportsProtocol3AsMap()
    {
        var ct = TestClients.Timeout();
        var hello = await _client.ExecuteAsync("HELLO", [], ct);
        Assert.Equal(RedisReplyType.Map, hello.Type);
        Assert.Equal(3, hello.AsPairs().Single(p => p.Key.AsString() == "proto").Value.IntegerValue);
    }

    [Fact]
    public async Task Replies_MapSetDoubleBooleanNull_HaveTheirTypes()
    {
        var ct = TestClients.Timeout();
        await _client.HSetAsync(_prefix + "h", [new("a", "1"), new("b", "2")], ct);
        var map = await _client.ExecuteAsync("HGETALL", [_prefix + "h"], ct);
        Assert.Equal(RedisReplyType.Map, map.Type);
        Assert.Equal(2, (await _client.HGetAllAsync(_prefix + "h", ct)).Count);

        await _client.ExecuteAsync("SADD", [_prefix + "s", "x", "y"], ct);
        var set = await _client.ExecuteAsync("SMEMBERS", [_prefix + "s"], ct);
        Assert.Equal(RedisReplyType.Set, set.Type);
        Assert.Equal(["x", "y"], set.Elements.Select(e => e.AsString()!).Order());

        await _client.ExecuteAsync("ZADD", [_prefix + "z", "2.5", "m"], ct);
        var score = await _client.ExecuteAsync("ZSCORE", [_prefix + "z", "m"], ct);
        Assert.Equal(RedisReplyType.Double, score.Type);
        Assert.Equal(2.5, score.DoubleValue);

        var boolean = await _client.ExecuteAsync("EVAL", ["redis.setresp(3); return true", 0], ct);
        Assert.Equal(RedisReplyType.Boolean, boolean.Type);
        Assert.True(boolean.Boolean);

        var missing = await _client.ExecuteAsync("GET", [_prefix + "missing"], ct);
        Assert.Equal(RedisReplyType.Null, missing.Type);
        Assert.Null(await _client.GetAsync(_prefix + "missing", ct));

        var luaDouble = await _client.ExecuteAsync("EVAL", ["return {double=3.25}", 0], ct);
        Assert.Equal(3.25, luaDouble.DoubleValue);
    }

    [Fact]
    public async Task StreamCommands_Resp3Shapes_AreRead()
    {
        var ct = TestClients.Timeout();
        var stream = _prefix + "stream";
        await _client.XGroupCreateAsync(stream, "g", "0", ct);
        var id = await _client.XAddAsync(stream, [new("f", "v")], cancellationToken: ct);
        var read = await _client.XReadGroupAsync(stream, "g", "c", count: 5, cancellationToken: ct);
        Assert.Equal(id, Assert.Single(read).Id);
        Assert.Equal("v", read[0]["f"]);
        var group = Assert.Single(await _client.XInfoGroupsAsync(stream, ct));
        Assert.Equal(1, group.Pending);
        Assert.Equal(1, (await _client.XPendingAsync(stream, "g", ct)).Count);
        Assert.Equal("PONG", (await _client.ExecuteAsync("PING", [], ct)).AsString());
    }
}
