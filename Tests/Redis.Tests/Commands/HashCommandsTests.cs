using System.Text;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class HashCommandsTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _key = RedisServerFixture.NewKeyPrefix() + "hash";
    private RedisClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await TestClients.ConnectAsync(redis);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task HSetHGetHGetAllHDel_WorkTogether()
    {
        var ct = TestClients.Timeout();
        Assert.Equal(2, await _client.HSetAsync(_key, [new("name", "ada"), new("lang", "en")], ct));
        Assert.False(await _client.HSetAsync(_key, "name", "grace", ct));
        Assert.True(await _client.HSetAsync(_key, "bin", new byte[] { 0, 1, 2 }, ct));

        Assert.Equal("grace", await _client.HGetStringAsync(_key, "name", ct));
        Assert.Equal([0, 1, 2], await _client.HGetAsync(_key, "bin", ct));
        Assert.Null(await _client.HGetAsync(_key, "nope", ct));

        var all = await _client.HGetAllAsync(_key, ct);
        Assert.Equal(["bin", "lang", "name"], all.Keys.Order().ToArray());
        Assert.Equal("en", Encoding.UTF8.GetString(all["lang"]));

        Assert.Equal(2, await _client.HDelAsync(_key, ["name", "lang", "nope"], ct));
        Assert.Equal(["bin"], (await _client.HGetAllAsync(_key, ct)).Keys.ToArray());
        Assert.Empty(await _client.HGetAllAsync(_key + ":missing", ct));
    }

    [Fact]
    public async Task HGet_OnStringKey_ThrowsWrongType()
    {
        var ct = TestClients.Timeout();
        await _client.SetAsync(_key, "plain", cancellationToken: ct);
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.HGetAsync(_key, "f", ct));
        Assert.Equal("WRONGTYPE", error.ErrorCode);
    }
}
