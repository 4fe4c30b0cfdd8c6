using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Connection;

[Trait("Category", "Integration")]
public sealed class ConcurrencyTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task ThousandConcurrentCallers_EachGetTheirOwnReply(string protocol)
    {
        var ct = TestClients.Timeout(30);
        var prefix = RedisServerFixture.NewKeyPrefix();
        await using var client = await TestClients.ConnectAsync(redis.ConnectionString + ",protocol=" + protocol);

        var callers = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
        {
            var key = $"{prefix}{i}";
            await client.SetAsync(key, $"value-{i}", cancellationToken: ct);
            var counter = await client.IncrByAsync(key + ":n", i, ct);
            var value = await client.GetStringAsync(key, ct);
            var echo = (await client.ExecuteAsync("ECHO", [$"echo-{i}"], ct)).AsString();
            return (i, value, counter, echo);
        }, ct)).ToArray();

        foreach (var (i, value, counter, echo) in await Task.WhenAll(callers))
        {
            Assert.Equal($"value-{i}", value);
            Assert.Equal(i, counter);
            Assert.Equal($"echo-{i}", echo);
        }

        Assert.Equal(0, client.Instrumentation.PendingCommands);
    }
}
