using System.Diagnostics.Metrics;
using Observability.Redis.Telemetry;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Connection;

[Trait("Category", "Integration")]
public sealed class FailureTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task ServerKilledMidFlight_FailsAtOnceThenRecoversAndResubscribes(string protocol)
    {
        var ct = TestClients.Timeout(20);
        await using var server = await RedisServer.StartAsync();
        var reconnects = 0L;
        using var listener = ListenToReconnects(server.Port, value => Interlocked.Add(ref reconnects, value));
        await using var client = await TestClients.ConnectAsync($"{server.ConnectionString},protocol={protocol}", options =>
        {
            options.CommandTimeout = TimeSpan.FromSeconds(60);
            options.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
        });
        await using var subscription = await client.SubscribeAsync("events", ct);
        await client.SetAsync("k", "v", cancellationToken: ct);
        await client.XGroupCreateAsync("jobs", "workers", "$", ct);
        var blocking = client.XReadGroupAsync("jobs", "workers", "w1", block: TimeSpan.FromSeconds(60), cancellationToken: ct).AsTask();

        // Hold every command on the server so that they are in flight when it dies.
        Assert.Equal("+OK", await server.RawCommandAsync("CLIENT", "PAUSE", "30000", "ALL"));
        var inFlight = Enumerable.Range(0, 100).Select(_ => client.GetStringAsync("k", ct).AsTask()).ToArray();
        await PollAsync(() => client.Instrumentation.PendingCommands >= 100, ct);
        Assert.All(inFlight, task => Assert.False(task.IsCompleted));

        await server.KillAsync();

        // They fail with a connection error long before the 60 s command timeout (the test's own limit is 20 s).
        foreach (var task in inFlight)
        {
            var error = await Assert.ThrowsAsync<RedisConnectionException>(() => task.WaitAsync(ct));
            Assert.Contains("connection", error.Message, StringComparison.OrdinalIgnoreCase);
        }

        await Assert.ThrowsAsync<RedisConnectionException>(() => blocking.WaitAsync(ct));

        await server.RestartAsync();
        Assert.True(await client.PingAsync(ct) >= TimeSpan.Zero);
        Assert.Null(await client.GetStringAsync("k", ct));

        // The subscriber reconnects on its own and subscribes again.
        await PollAsync(async () => await client.PublishAsync("events", "after restart", ct) == 1, ct);
        var message = await subscription.Messages.ReadAsync(ct);
        Assert.Equal("after restart", message.PayloadText);
        listener.RecordObservableInstruments();
        Assert.True(Interlocked.Read(ref reconnects) >= 2, "both the shared and the subscriber connection count a reconnect");
    }

    [Fact]
    public async Task Command_NoReplyWithinTimeout_ThrowsTimeoutAndConnectionStaysUsable()
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis, options => options.CommandTimeout = TimeSpan.FromMilliseconds(200));
        var key = RedisServerFixture.NewKeyPrefix() + "list";

        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.ExecuteAsync("BLPOP", [key, "1"], ct));
        Assert.Contains("BLPOP", error.Message, StringComparison.Ordinal);

        // Once the late BLPOP reply has arrived (and been discarded), each command gets its own reply again.
        await PollAsync(async () =>
        {
            try
            {
                return (await client.ExecuteAsync("ECHO", ["mine"], ct)).AsString() == "mine";
            }
            catch (RedisTimeoutException)
            {
                return false;
            }
        }, ct);
        await client.SetAsync(key + ":s", "value", cancellationToken: ct);
        Assert.Equal("value", await client.GetStringAsync(key + ":s", ct));
    }

    [Fact]
    public async Task Command_Cancelled_ThrowsOperationCanceled()
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await client.ExecuteAsync("BLPOP", [RedisServerFixture.NewKeyPrefix() + "l", "1"], cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetAsync("k", cancel.Token));
    }

    [Fact]
    public async Task BlockingRead_Cancelled_ThrowsAndSharedConnectionKeepsWorking()
    {
        var ct = TestClients.Timeout();
        await using var client = await TestClients.ConnectAsync(redis);
        var stream = RedisServerFixture.NewKeyPrefix() + "stream";
        await client.XGroupCreateAsync(stream, "g", "$", ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var blocking = client.XReadGroupAsync(stream, "g", "c", block: TimeSpan.FromSeconds(30), cancellationToken: cancel.Token).AsTask();

        await client.PingAsync(ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocking.WaitAsync(ct));
        await client.XAddAsync(stream, [new("after", "cancel")], cancellationToken: ct);
        var next = await client.XReadGroupAsync(stream, "g", "c", block: TimeSpan.FromSeconds(5), cancellationToken: ct);
        Assert.Equal("cancel", Assert.Single(next)["after"]);
    }

    [Fact]
    public async Task Connect_NothingListening_ThrowsConnectionErrorNamingEndpoint()
    {
        var port = Observability.TestInfrastructure.Processes.LoopbackPort.GetFree();
        var options = Observability.Redis.Configuration.RedisClientOptions.Parse($"127.0.0.1:{port},asyncTimeout=500,connectTimeout=500");
        options.ServerStatsInterval = TimeSpan.Zero;
        await using var client = new RedisClient(options);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ConnectAsync(TestClients.Timeout()));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    private static MeterListener ListenToReconnects(int port, Action<long> onReconnect)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RedisTelemetry.SourceName && instrument.Name == "redis.client.reconnects")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int p && p == port)
                {
                    onReconnect(value);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static Task PollAsync(Func<bool> condition, CancellationToken cancellationToken) =>
        PollAsync(() => Task.FromResult(condition()), cancellationToken);

    private static async Task PollAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
