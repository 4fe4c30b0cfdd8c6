using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Commands;

[Trait("Category", "Integration")]
public sealed class StreamCommandsTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _stream = RedisServerFixture.NewKeyPrefix() + "stream";
    private RedisClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await TestClients.ConnectAsync(redis);

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    [Fact]
    public async Task XAdd_ThenRangeAndRevRange_ReturnEntriesInOrder()
    {
        var ct = TestClients.Timeout();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _client.XAddAsync(_stream, [new("n", i), new("kind", "test")], cancellationToken: ct))!);
        }

        Assert.Equal(5, await _client.XLenAsync(_stream, ct));
        var range = await _client.XRangeAsync(_stream, cancellationToken: ct);
        Assert.Equal(ids, range.Select(e => e.Id));
        Assert.Equal("3", range[3]["n"]);
        Assert.Equal("test", range[3]["kind"]);

        var newestTwo = await _client.XRevRangeAsync(_stream, count: 2, cancellationToken: ct);
        Assert.Equal([ids[4], ids[3]], newestTwo.Select(e => e.Id));

        var middle = await _client.XRangeAsync(_stream, ids[1], ids[2], cancellationToken: ct);
        Assert.Equal([ids[1], ids[2]], middle.Select(e => e.Id));
    }

    [Fact]
    public async Task XAdd_WithApproximateMaxLength_TrimsStream()
    {
        var ct = TestClients.Timeout();
        for (var i = 0; i < 1000; i++)
        {
            await _client.XAddAsync(_stream, [new("i", i)], maxLength: 100, cancellationToken: ct);
        }

        // "~" trims whole macro nodes (100 entries each by default), so the length stays near, not at, the limit.
        Assert.InRange(await _client.XLenAsync(_stream, ct), 100, 300);
    }

    [Fact]
    public async Task ConsumerGroup_ReadAckPendingClaim_Flow()
    {
        var ct = TestClients.Timeout();
        Assert.True(await _client.XGroupCreateAsync(_stream, "workers", "0", ct));
        Assert.False(await _client.XGroupCreateAsync(_stream, "workers", "0", ct));
        for (var i = 0; i < 4; i++)
        {
            await _client.XAddAsync(_stream, [new("job", i)], cancellationToken: ct);
        }

        var firstBatch = await _client.XReadGroupAsync(_stream, "workers", "alice", count: 3, cancellationToken: ct);
        Assert.Equal(["0", "1", "2"], firstBatch.Select(e => e["job"]));
        var rest = await _client.XReadGroupAsync(_stream, "workers", "bob", count: 10, cancellationToken: ct);
        Assert.Equal(["3"], rest.Select(e => e["job"]));
        Assert.Empty(await _client.XReadGroupAsync(_stream, "workers", "bob", count: 10, cancellationToken: ct));

        var summary = await _client.XPendingAsync(_stream, "workers", ct);
        Assert.Equal(4, summary.Count);
        Assert.Equal(firstBatch[0].Id, summary.LowestId);
        Assert.Equal(rest[0].Id, summary.HighestId);
        Assert.Equal(3, summary.Consumers["alice"]);
        Assert.Equal(1, summary.Consumers["bob"]);

        Assert.Equal(1, await _client.XAckAsync(_stream, "workers", [firstBatch[0].Id], ct));
        var pending = await _client.XPendingRangeAsync(_stream, "workers", 10, consumer: "alice", cancellationToken: ct);
        Assert.Equal([firstBatch[1].Id, firstBatch[2].Id], pending.Select(p => p.Id));
        Assert.All(pending, p => Assert.Equal(1, p.DeliveryCount));
        Assert.All(pending, p => Assert.Equal("alice", p.Consumer));

        var claimed = await _client.XAutoClaimAsync(_stream, "workers", "carol", TimeSpan.Zero, count: 10, cancellationToken: ct);
        Assert.Equal("0-0", claimed.NextStartId);
        Assert.Equal(3, claimed.Entries.Count);
        Assert.Empty(claimed.DeletedIds);
        var afterClaim = await _client.XPendingAsync(_stream, "workers", ct);
        Assert.Equal(3, afterClaim.Consumers["carol"]);

        var groups = await _client.XInfoGroupsAsync(_stream, ct);
        var group = Assert.Single(groups);
        Assert.Equal("workers", group.Name);
        Assert.Equal(3, group.Pending);
        Assert.Equal(3, group.Consumers);
        Assert.Equal(rest[0].Id, group.LastDeliveredId);
    }

    [Fact]
    public async Task XReadGroup_Block_DoesNotStallSharedConnectionAndWakesOnAdd()
    {
        var ct = TestClients.Timeout(15);
        await _client.XGroupCreateAsync(_stream, "g", "$", ct);

        var blocked = _client.XReadGroupAsync(_stream, "g", "c1", count: 1, block: TimeSpan.FromSeconds(10), cancellationToken: ct).AsTask();
        // While XREADGROUP blocks on its own connection, ordinary commands keep flowing on the shared one.
        for (var i = 0; i < 20; i++)
        {
            await _client.PingAsync(ct);
        }

        Assert.False(blocked.IsCompleted);
        var id = await _client.XAddAsync(_stream, [new("wake", "up")], cancellationToken: ct);
        var entries = await blocked.WaitAsync(ct);
        Assert.Equal(id, Assert.Single(entries).Id);
    }

    [Fact]
    public async Task XReadGroup_BlockTimesOutWithoutEntries_ReturnsEmpty()
    {
        var ct = TestClients.Timeout();
        await _client.XGroupCreateAsync(_stream, "g", "$", ct);
        var entries = await _client.XReadGroupAsync(_stream, "g", "c1", block: TimeSpan.FromMilliseconds(50), cancellationToken: ct);
        Assert.Empty(entries);
    }
}
