using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Observability.Redis.Caching;
using Observability.Redis.Telemetry;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Telemetry;

[Trait("Category", "Integration")]
public sealed class MetricsTests(RedisServerFixture redis)
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    [Fact]
    public async Task Command_RecordsOperationDurationWithConventionTags()
    {
        var ct = TestClients.Timeout();
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = Listen(measurements);
        await using var client = await TestClients.ConnectAsync(redis);

        await client.ExecuteAsync("TIME", [], ct);

        var duration = measurements.First(m => m.Instrument == "db.client.operation.duration" && (string?)m.Tags["db.operation.name"] == "TIME");
        Assert.True(duration.Value > 0);
        Assert.Equal("redis", duration.Tags["db.system.name"]);
        Assert.Equal(redis.Server.Port, duration.Tags["server.port"]);
        Assert.Equal("0", duration.Tags["db.namespace"]);
        Assert.False(duration.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task ObservableInstruments_ReportConnectionsAndServerStats()
    {
        var ct = TestClients.Timeout();
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = Listen(measurements);
        await using var client = await TestClients.ConnectAsync(redis);
        var key = RedisServerFixture.NewKeyPrefix() + "k";
        await client.SetAsync(key, "v", cancellationToken: ct);
        await client.GetAsync(key, ct);
        await client.GetAsync(key + ":missing", ct);

        await client.RefreshServerStatsAsync();
        listener.RecordObservableInstruments();

        Assert.Contains(measurements, m => m.Instrument == "db.client.connection.count" && m.Value >= 1);
        Assert.Contains(measurements, m => m.Instrument == "db.client.connection.pending_requests");
        var ratio = measurements.Last(m => m.Instrument == "redis.server.keyspace.hit_ratio" && (int?)m.Tags["server.port"] == redis.Server.Port);
        Assert.InRange(ratio.Value, 0.0, 1.0);
        Assert.Contains(measurements, m => m.Instrument == "redis.server.evicted_keys" && m.Value >= 0);
    }

    [Fact]
    public async Task Cache_GetOrSet_CountsMissThenHitAndHonoursTtl()
    {
        var ct = TestClients.Timeout();
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = Listen(measurements);
        await using var client = await TestClients.ConnectAsync(redis);
        var cache = new RedisCache(client);
        var key = RedisServerFixture.NewKeyPrefix() + "cached";
        var computed = 0;

        ValueTask<string> Factory(CancellationToken token)
        {
            computed++;
            return ValueTask.FromResult("expensive");
        }

        Assert.Equal("expensive", await cache.GetOrSetAsync(key, Factory, TimeSpan.FromMinutes(5), RedisCacheSerializer.Utf8, ct));
        Assert.Equal("expensive", await cache.GetOrSetAsync(key, Factory, TimeSpan.FromMinutes(5), RedisCacheSerializer.Utf8, ct));
        Assert.Equal(1, computed);
        Assert.InRange(await client.TtlAsync(key, ct), 290, 300);

        Assert.True(await cache.InvalidateAsync(key, ct));
        await cache.GetOrSetAsync(key, Factory, TimeSpan.FromMinutes(5), RedisCacheSerializer.Utf8, ct);
        Assert.Equal(2, computed);

        Assert.Equal(1, measurements.Count(m => m.Instrument == "redis.client.cache.hits" && (int?)m.Tags["server.port"] == redis.Server.Port));
        Assert.Equal(2, measurements.Count(m => m.Instrument == "redis.client.cache.misses" && (int?)m.Tags["server.port"] == redis.Server.Port));
    }

    private static MeterListener Listen(ConcurrentQueue<Measurement> measurements)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RedisTelemetry.SourceName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            measurements.Enqueue(new Measurement(instrument.Name, value, copy));
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        return listener;
    }
}
