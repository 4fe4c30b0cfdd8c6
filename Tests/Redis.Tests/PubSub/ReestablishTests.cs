using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.PubSub;

/// <summary>A subscription tells its owner when it was confirmed again after its connection dropped.</summary>
[Trait("Category", "Integration")]
public sealed class ReestablishTests
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task Subscription_ServerKilledAndRestarted_ReportsReestablishedThenDelivers(string protocol)
    {
        var ct = TestClients.Timeout(20);
        await using var server = await RedisServer.StartAsync();
        await using var client = await TestClients.ConnectAsync($"{server.ConnectionString},protocol={protocol}", options =>
            options.MaxReconnectDelay = TimeSpan.FromMilliseconds(200));
        await using var subscription = await client.SubscribeAsync("events", ct);
        Assert.True(subscription.IsEstablished);
        Assert.Equal(0, subscription.Reestablishments);

        await server.KillAsync();
        await PollAsync(() => !subscription.IsEstablished, ct);
        Assert.False(subscription.Reestablished.TryRead(out _));
        await server.RestartAsync();

        Assert.Equal(1, await subscription.Reestablished.ReadAsync(ct));
        Assert.True(subscription.IsEstablished);
        Assert.Equal(1, subscription.Reestablishments);
        // Confirmed means confirmed: the very first publish after the signal reaches the subscription.
        Assert.Equal(1, await PublishWhenReachableAsync(client, "events", "after restart", ct));
        Assert.Equal("after restart", (await subscription.Messages.ReadAsync(ct)).PayloadText);
    }

    [Fact]
    public async Task Subscription_SubscriberConnectionKilled_CountIsRaisedBeforeNewMessages()
    {
        var ct = TestClients.Timeout(20);
        await using var server = await RedisServer.StartAsync();
        await using var client = await TestClients.ConnectAsync(server.ConnectionString, options =>
            options.MaxReconnectDelay = TimeSpan.FromMilliseconds(200));
        await using var first = await client.SubscribeAsync("a", ct);
        await using var second = await client.SubscribeAsync("a", ct);
        await using var pattern = await client.PSubscribeAsync("b.*", ct);
        Assert.Equal("before", await PublishAndReadAsync(client, first, "a", "before", ct));
        Assert.Equal("before", (await second.Messages.ReadAsync(ct)).PayloadText);

        Assert.Equal(":1", await server.RawCommandAsync("CLIENT", "KILL", "TYPE", "pubsub"));

        // Publish until the new connection delivers: the first message read from it must already see the new count.
        while (await client.PublishAsync("a", "after", ct) == 0)
        {
            ct.ThrowIfCancellationRequested();
        }

        Assert.Equal("after", (await first.Messages.ReadAsync(ct)).PayloadText);
        Assert.Equal(1, first.Reestablishments);
        Assert.Equal("after", (await second.Messages.ReadAsync(ct)).PayloadText);
        Assert.Equal(1, second.Reestablishments);
        Assert.Equal(1, await pattern.Reestablished.ReadAsync(ct));
        Assert.Equal(1, await client.PublishAsync("b.x", "pattern", ct));
        Assert.Equal("pattern", (await pattern.Messages.ReadAsync(ct)).PayloadText);
    }

    [Fact]
    public async Task Subscription_Disposed_CompletesReestablished()
    {
        var ct = TestClients.Timeout();
        await using var server = await RedisServer.StartAsync();
        await using var client = await TestClients.ConnectAsync(server.ConnectionString);
        var subscription = await client.SubscribeAsync("gone", ct);

        await subscription.DisposeAsync();

        await subscription.Reestablished.Completion.WaitAsync(ct);
        Assert.False(subscription.IsEstablished);
    }

    private static async Task<string> PublishAndReadAsync(RedisClient client, Observability.Redis.PubSub.RedisSubscription subscription, string channel, string text, CancellationToken cancellationToken)
    {
        Assert.Equal(1, await client.PublishAsync(channel, text, cancellationToken));
        return (await subscription.Messages.ReadAsync(cancellationToken)).PayloadText;
    }

    private static async Task<long> PublishWhenReachableAsync(RedisClient client, string channel, string text, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await client.PublishAsync(channel, text, cancellationToken);
            }
            catch (RedisConnectionException)
            {
                // The shared connection reconnects on its own schedule: try again.
                await Task.Yield();
            }
        }
    }

    private static async Task PollAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }
}
