using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Protocol;
using Observability.WebSocketHub.Subscriptions;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>
/// Redis can lose its data (a restart without persistence, or the last second of an everysec log): a client whose
/// stream lost events is told so with a <c>truncated</c> frame, never left with a silent gap (the live case, a restart
/// under a subscription, is in <see cref="RedisRestartTests"/>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class DataLossTests(RedisServerFixture redis)
{
    [Fact]
    public async Task FindTruncation_StreamCreatedAgainAfterTheLastSeen_ReportsTheGap()
    {
        using var timeout = TestTimeout.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var client = connection.GetDatabase();
        var key = RedisServerFixture.NewKeyPrefix() + "stream";

        // The client saw 3-0 of a stream Redis then lost; later events created it again (nothing was ever trimmed).
        for (var ms = 6; ms <= 8; ms++)
        {
            await client.ExecuteAsync("XADD", (RedisKey)key, $"{ms}-0", "f", "v");
        }

        var info = await client.ScriptEvaluateAsync("return redis.call('XINFO', 'STREAM', KEYS[1])", [key]);

        Assert.Equal("6-0", StreamReplayer.FindTruncation(info, StreamId.Parse("3-0")));
        Assert.Null(StreamReplayer.FindTruncation(info, StreamId.Parse("6-0")));
    }
}
