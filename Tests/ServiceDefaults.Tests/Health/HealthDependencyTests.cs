using Microsoft.Extensions.Time.Testing;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Observability.ServiceDefaults.Health;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;

namespace Observability.ServiceDefaults.Tests.Health;

/// <summary>Readiness against real dependencies: PostgreSQL (<c>SELECT 1</c>) and Redis (<c>PING</c>).</summary>
[Trait("Category", "Integration")]
public sealed class HealthDependencyTests : IClassFixture<PostgresServerFixture>
{
    private readonly PostgresServerFixture _postgres;

    public HealthDependencyTests(PostgresServerFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task Probes_RedisKilledThenRestarted_ReadyFollowsRedisAndAliveStaysUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        await using var redis = await RedisServer.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(await _postgres.CreateDatabaseAsync(ct));
        var postgresCheck = new PostgresHealthCheck(dataSource);
        var redisCheck = new RedisPingHealthCheck(RedisServer.Host, redis.Port);
        await using var host = await StartAsync(time, postgresCheck, redisCheck, ct);

        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(host, "/ready", ct));

        await redis.KillAsync();
        // Within the cache window the last report still stands; after it, the probes see Redis gone.
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(host, "/ready", ct));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOfAsync(host, "/ready", ct));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(host, "/alive", ct));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusOfAsync(host, "/health", ct));

        await redis.RestartAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(host, "/ready", ct));
        Assert.Equal(HttpStatusCode.OK, await StatusOfAsync(host, "/health", ct));
        Assert.True(postgresCheck.Runs >= 3);
    }

    [Fact]
    public async Task Ready_ConcurrentProbesWithinCacheWindow_QueryPostgresOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        await using var redis = await RedisServer.StartAsync();
        await using var dataSource = NpgsqlDataSource.Create(await _postgres.CreateDatabaseAsync(ct));
        var postgresCheck = new PostgresHealthCheck(dataSource);
        var redisCheck = new RedisPingHealthCheck(RedisServer.Host, redis.Port);
        await using var host = await StartAsync(time, postgresCheck, redisCheck, ct);

        var first = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => StatusOfAsync(host, "/ready", ct)));
        Assert.All(first, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, postgresCheck.Runs);
        Assert.Equal(1, redisCheck.Runs);

        time.Advance(TimeSpan.FromSeconds(1));
        var second = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => StatusOfAsync(host, "/ready", ct)));
        Assert.All(second, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(2, postgresCheck.Runs);
        Assert.Equal(2, redisCheck.Runs);
    }

    private static Task<TestWebHost> StartAsync(FakeTimeProvider time, PostgresHealthCheck postgres, RedisPingHealthCheck redis, CancellationToken ct) =>
        TestWebHost.StartAsync(
            builder =>
            {
                builder.AddDefaultHealthChecks();
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddHealthChecks()
                    .AddCheck("postgres", postgres, tags: [HealthTags.Ready])
                    .AddCheck("redis", redis, tags: [HealthTags.Ready]);
            },
            app => app.MapHealthEndpoints(),
            ct);

    private static async Task<HttpStatusCode> StatusOfAsync(TestWebHost host, string path, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        using var response = await host.Client.GetAsync(path, cts.Token);
        return response.StatusCode;
    }
}
