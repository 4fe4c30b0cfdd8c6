using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class StringCommandsTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await TestClients.ConnectAsync(redis);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task SetThenGet_String_RoundTrips()
    {
        var ct = TestClients.Timeout();
        Assert.True(await _client.SetAsync(_prefix + "a", "hello", cancellationToken: ct));
        Assert.Equal("hello", await _client.GetStringAsync(_prefix + "a", ct));
        Assert.Null(await _client.GetAsync(_prefix + "missing", ct));
    }

    [Fact]
    public async Task Set_WithExpirySeconds_SetsTtl()
    {
        var ct = TestClients.Timeout();
        await _client.SetAsync(_prefix + "ex", "v", TimeSpan.FromSeconds(100), cancellationToken: ct);
        var ttl = await _client.TtlAsync(_prefix + "ex", ct);
        Assert.InRange(ttl, 90, 100);
    }

    [Fact]
    public async Task Set_WithExpiryMilliseconds_UsesPx()
    {
        var ct = TestClients.Timeout();
        await _client.SetAsync(_prefix + "px", "v", TimeSpan.FromMilliseconds(50_500), cancellationToken: ct);
        var pttl = await _client.ExecuteAsync("PTTL", [_prefix + "px"], ct);
        Assert.InRange(pttl.IntegerValue, 40_000, 50_500);
    }

    [Fact]
    public async Task Set_IfNotExists_WritesOnlyOnce()
    {
        var ct = TestClients.Timeout();
        Assert.True(await _client.SetAsync(_prefix + "nx", "first", condition: RedisSetCondition.IfNotExists, cancellationToken: ct));
        Assert.False(await _client.SetAsync(_prefix + "nx", "second", condition: RedisSetCondition.IfNotExists, cancellationToken: ct));
        Assert.Equal("first", await _client.GetStringAsync(_prefix + "nx", ct));
    }

    [Fact]
    public async Task Set_IfExists_WritesOnlyExistingKeys()
    {
        var ct = TestClients.Timeout();
        Assert.False(await _client.SetAsync(_prefix + "xx", "v", condition: RedisSetCondition.IfExists, cancellationToken: ct));
        await _client.SetAsync(_prefix + "xx", "v1", cancellationToken: ct);
        Assert.True(await _client.SetAsync(_prefix + "xx", "v2", condition: RedisSetCondition.IfExists, cancellationToken: ct));
        Assert.Equal("v2", await _client.GetStringAsync(_prefix + "xx", ct));
    }

    [Fact]
    public async Task MGet_MixedKeys_ReturnsNullForMissing()
    {
        var ct = TestClients.Timeout();
        await _client.SetAsync(_prefix + "m1", "one", cancellationToken: ct);
        await _client.SetAsync(_prefix + "m3", "three", cancellationToken: ct);
        var values = await _client.MGetAsync([_prefix + "m1", _prefix + "m2", _prefix + "m3"], ct);
        Assert.Equal("one|<null>|three", string.Join("|", values.Select(v => v is null ? "<null>" : System.Text.Encoding.UTF8.GetString(v))));
    }

    [Fact]
    public async Task IncrAndIncrBy_Count()
    {
        var ct = TestClients.Timeout();
        Assert.Equal(1, await _client.IncrAsync(_prefix + "n", ct));
        Assert.Equal(11, await _client.IncrByAsync(_prefix + "n", 10, ct));
        Assert.Equal(6, await _client.IncrByAsync(_prefix + "n", -5, ct));
    }

    [Fact]
    public async Task Incr_NotANumber_ThrowsServerError()
    {
        var ct = TestClients.Timeout();
        await _client.SetAsync(_prefix + "text", "abc", cancellationToken: ct);
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.IncrAsync(_prefix + "text", ct));
        Assert.Equal("ERR", error.ErrorCode);
        Assert.Equal("abc", await _client.GetStringAsync(_prefix + "text", ct));
    }

    [Fact]
    public async Task Del_SeveralKeys_CountsExisting()
    {
        var ct = TestClients.Timeout();
        await _client.SetAsync(_prefix + "d1", "1", cancellationToken: ct);
        await _client.SetAsync(_prefix + "d2", "2", cancellationToken: ct);
        Assert.Equal(2, await _client.DelAsync([_prefix + "d1", _prefix + "d2", _prefix + "d3"], ct));
        Assert.False(await _client.DelAsync(_prefix + "d1", ct));
    }

    [Fact]
    public async Task ExpireAndTtl_ReportExpiryStates()
    {
        var ct = TestClients.Timeout();
        Assert.Equal(-2, await _client.TtlAsync(_prefix + "none", ct));
        await _client.SetAsync(_prefix + "e", "v", cancellationToken: ct);
        Assert.Equal(-1, await _client.TtlAsync(_prefix + "e", ct));
        Assert.True(await _client.ExpireAsync(_prefix + "e", TimeSpan.FromSeconds(30), ct));
        Assert.InRange(await _client.TtlAsync(_prefix + "e", ct), 20, 30);
        Assert.False(await _client.ExpireAsync(_prefix + "none", TimeSpan.FromSeconds(30), ct));
    }

    [Fact]
    public async Task SetGet_BinaryKeyAndValue_AreBinarySafe()
    {
        var ct = TestClients.Timeout();
        var key = new byte[] { 0, 13, 10, 255, 36, 42, 0 };
        var fullKey = System.Text.Encoding.UTF8.GetBytes(_prefix).Concat(key).ToArray();
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.True(await _client.SetAsync(fullKey.AsMemory(), value.AsMemory(), cancellationToken: ct));
        Assert.Equal(value, await _client.GetAsync(fullKey, ct));
    }

    [Fact]
    public async Task SetGet_TenAndTwentyMegabytes_RoundTrip()
    {
        var ct = TestClients.Timeout(30);
        foreach (var size in (int[])[10 * 1024 * 1024, 20 * 1024 * 1024 + 7])
        {
            var value = new byte[size];
            new Random(size).NextBytes(value);
            await _client.SetAsync(_prefix + "big", value, cancellationToken: ct);
            var read = await _client.GetAsync(_prefix + "big", ct);
            Assert.NotNull(read);
            Assert.True(value.AsSpan().SequenceEqual(read), $"{size} bytes came back different");
        }

        Assert.Equal("PONG", (await _client.ExecuteAsync("PING", [], ct)).AsString());
    }

    [Fact]
    public async Task ExecuteAsync_GenericCommand_ReturnsReply()
    {
        var ct = TestClients.Timeout();
        var reply = await _client.ExecuteAsync("ECHO", ["hi there"], ct);
        Assert.Equal(RedisReplyType.BulkString, reply.Type);
        Assert.Equal("hi there", reply.AsString());
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.ExecuteAsync("NOSUCHCOMMAND", [], ct));
        Assert.Contains("unknown command", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PingAndInfo_ReturnServerFacts()
    {
        var ct = TestClients.Timeout();
        Assert.True(await _client.PingAsync(ct) > TimeSpan.Zero);
        var info = await _client.InfoFieldsAsync("server", ct);
        Assert.StartsWith("7.", info["redis_version"], StringComparison.Ordinal);
        Assert.Equal(redis.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), info["tcp_port"]);
    }
}
