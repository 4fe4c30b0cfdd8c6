using Observability.Redis.PubSub;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.PubSub;

[Trait("Category", "Integration")]
public sealed class PubSubTests(RedisServerFixture redis)
{
    private readonly string _prefix = RedisServerFixture.NewKeyPrefix();

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task Subscribe_Publish_DeliversMessage(string protocol)
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis.ConnectionString + ",protocol=" + protocol);
        await using var subscription = await client.SubscribeAsync(_prefix + "news", ct);

        Assert.Equal(1, await client.PublishAsync(_prefix + "news", "hello", ct));
        Assert.Equal(1, await client.PublishAsync(_prefix + "news", new byte[] { 0, 255 }, ct));

        var first = await subscription.Messages.ReadAsync(ct);
        Assert.Equal(_prefix + "news", first.Channel);
        Assert.Null(first.Pattern);
        Assert.Equal("hello", first.PayloadText);
        Assert.Equal([0, 255], (await subscription.Messages.ReadAsync(ct)).Payload.ToArray());

        // The shared connection is untouched by the subscription.
        Assert.Equal("PONG", (await client.ExecuteAsync("PING", [], ct)).AsString());
    }

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task PSubscribe_MatchingChannels_DeliversWithPattern(string protocol)
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis.ConnectionString + ",protocol=" + protocol);
        await using var subscription = await client.PSubscribeAsync(_prefix + "orders.*", ct);

        await client.PublishAsync(_prefix + "orders.created", "o1", ct);
        await client.PublishAsync(_prefix + "other", "ignored", ct);
        await client.PublishAsync(_prefix + "orders.paid", "o1", ct);

        var messages = new List<RedisPubSubMessage> { await subscription.Messages.ReadAsync(ct), await subscription.Messages.ReadAsync(ct) };
        Assert.Equal([_prefix + "orders.created", _prefix + "orders.paid"], messages.Select(m => m.Channel));
        Assert.All(messages, m => Assert.Equal(_prefix + "orders.*", m.Pattern));
        Assert.False(subscription.Messages.TryRead(out _));
    }

    [Fact]
    public async Task Subscribe_ReaderFallsBehindCapacity_DropsOldestAndCountsThem()
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis);
        await using var subscription = await client.Subscriber.SubscribeAsync(_prefix + "burst", isPattern: false, capacity: 4, ct);

        for (var i = 1; i <= 10; i++)
        {
            await client.PublishAsync(_prefix + "burst", $"m{i}", ct);
        }

        // The publisher's PUBLISH replies do not say the subscriber received; the last message marks the end.
        await client.PublishAsync(_prefix + "burst", "end", ct);
        var received = new List<string>();
        while (received.LastOrDefault() != "end")
        {
            received.Add((await subscription.Messages.ReadAsync(ct)).PayloadText);
        }

        Assert.Equal(11 - received.Count, subscription.Dropped);
        Assert.True(subscription.Dropped > 0, "a reader four messages deep must have lost some of eleven");
        Assert.Equal(received.OrderBy(m => m == "end" ? 99 : int.Parse(m[1..], System.Globalization.CultureInfo.InvariantCulture)), received);
    }

    [Fact]
    public async Task DisposeSubscription_Unsubscribes()
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis);
        var first = await client.SubscribeAsync(_prefix + "c", ct);
        var second = await client.SubscribeAsync(_prefix + "c", ct);

        await first.DisposeAsync();
        Assert.Equal(1, await client.PublishAsync(_prefix + "c", "still one", ct));
        Assert.Equal("still one", (await second.Messages.ReadAsync(ct)).PayloadText);

        await second.DisposeAsync();
        Assert.Equal(0, await client.PublishAsync(_prefix + "c", "nobody", ct));
        Assert.True(second.Messages.Completion.IsCompleted);
    }

    [Fact]
    public async Task DisposeClientFirst_EndsSubscriptionWithoutError()
    {
        var ct = TestClients.Timeout();
        var client = await TestClients.ConnectAsync(redis);
        var subscription = await client.SubscribeAsync(_prefix + "gone", ct);

        await client.DisposeAsync();

        await subscription.Messages.Completion.WaitAsync(ct);
        await subscription.DisposeAsync();
    }
}
