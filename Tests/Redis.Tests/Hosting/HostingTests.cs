using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Redis.Caching;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Hosting;

[Trait("Category", "Integration")]
public sealed class HostingTests(RedisServerFixture redis)
{
    private static IHost Build(string? connectionString, params KeyValuePair<string, string?>[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (connectionString is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:cache", connectionString), new("Redis:cache:ServerStatsInterval", "00:00:00")]);
        }

        builder.Configuration.AddInMemoryCollection(settings);

        builder.AddRedisClient("cache");
        return builder.Build();
    }

    [Fact]
    public async Task AddRedisClient_RegistersSingletonClientCacheAndReadyHealthCheck()
    {
        var ct = TestClients.Timeout();
        using var host = Build(redis.ConnectionString + ",name=hosted");
        await host.StartAsync(ct);
        try
        {
            var client = host.Services.GetRequiredService<RedisClient>();
            Assert.Same(client, host.Services.GetRequiredService<RedisClient>());
            Assert.NotNull(host.Services.GetRequiredService<RedisCache>());
            Assert.Equal("hosted", (await client.ExecuteAsync("CLIENT", ["GETNAME"], ct)).AsString());

            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), ct);
            var entry = Assert.Single(report.Entries);
            Assert.Equal("redis-cache", entry.Key);
            Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
            Assert.True((double)entry.Value.Data["latency_ms"] > 0);
        }
        finally
        {
            await host.StopAsync(ct);
        }
    }

    [Fact]
    public async Task AddRedisClient_SectionSettings_AreBoundAndConnectionStringWins()
    {
        using var host = Build(
            redis.ConnectionString + ",syncTimeout=1500",
            new("Redis:cache:CommandTimeout", "00:00:09"),
            new("Redis:cache:MaxReconnectDelay", "00:00:02"),
            new("Redis:cache:Protocol", "Resp3"));
        await host.StartAsync(TestClients.Timeout());
        try
        {
            var options = host.Services.GetRequiredService<RedisClient>().Options;
            Assert.Equal(TimeSpan.FromMilliseconds(1500), options.CommandTimeout);
            Assert.Equal(TimeSpan.FromSeconds(2), options.MaxReconnectDelay);
            Assert.Equal(Observability.Redis.Configuration.RedisProtocolVersion.Resp3, options.Protocol);
            Assert.Equal(redis.Server.Port, options.Port);
        }
        finally
        {
            await host.StopAsync(TestClients.Timeout());
        }
    }

    [Fact]
    public async Task HealthCheck_ServerDown_ReportsUnhealthy()
    {
        var ct = TestClients.Timeout();
        using var host = Build($"127.0.0.1:{LoopbackPort.GetFree()},asyncTimeout=300,connectTimeout=300");
        await host.StartAsync(ct);
        try
        {
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
            Assert.Equal(HealthStatus.Unhealthy, report.Entries["redis-cache"].Status);
        }
        finally
        {
            await host.StopAsync(ct);
        }
    }

    [Theory]
    [InlineData(null, "ConnectionStrings:cache")]
    [InlineData("localhost:notaport", "ConnectionStrings:cache")]
    [InlineData("localhost:6379,defaultDatabase=-1", "Redis:cache")]
    public async Task Start_InvalidOptions_FailsNamingTheKey(string? connectionString, string key)
    {
        using var host = Build(connectionString);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestClients.Timeout()));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
