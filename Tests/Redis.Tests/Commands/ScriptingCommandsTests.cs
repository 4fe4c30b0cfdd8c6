using Observability.Redis.Scripting;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class ScriptingCommandsTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();
    private RedisClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await TestClients.ConnectAsync(redis);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task Eval_KeysAndArguments_ArePassed()
    {
        var ct = TestClients.Timeout();
        var reply = await _client.EvalAsync("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])", [_prefix + "k"], ["v1"], ct);
        Assert.Equal("v1", reply.AsString());
    }

    [Fact]
    public async Task EvalSha_UnknownScript_ThrowsNoScript()
    {
        var ct = TestClients.Timeout();
        var script = new RedisScript($"return '{Guid.NewGuid()}'");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.EvalShaAsync(script.Sha1, [], [], ct));
        Assert.Equal("NOSCRIPT", error.ErrorCode);
    }

    [Fact]
    public async Task Evaluate_UncachedScript_FallsBackToEvalThenUsesSha()
    {
        var ct = TestClients.Timeout();
        var marker = Guid.NewGuid().ToString();
        var script = new RedisScript($"return redis.call('INCRBY', KEYS[1], ARGV[1]) -- {marker}");
        Assert.Equal("0", (await _client.ExecuteAsync("SCRIPT", ["EXISTS", script.Sha1], ct)).Elements[0].AsString());

        Assert.Equal(5, (await _client.EvaluateAsync(script, [_prefix + "n"], [5], ct)).IntegerValue);

        // EVAL cached the script, so EVALSHA alone now works.
        Assert.Equal(1, (await _client.ExecuteAsync("SCRIPT", ["EXISTS", script.Sha1], ct)).Elements[0].IntegerValue);
        Assert.Equal(7, (await _client.EvalShaAsync(script.Sha1, [_prefix + "n"], [2], ct)).IntegerValue);
        Assert.Equal(10, (await _client.EvaluateAsync(script, [_prefix + "n"], [3], ct)).IntegerValue);
    }
}
