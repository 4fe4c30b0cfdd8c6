using System.Net.Http.Json;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Redis;
using Observability.TestInfrastructure.Processes;

namespace Observability.Hosting.Tests;

[Trait("Category", "Integration")]
public sealed class ConfigurationInjectionTests
{
    [Fact]
    public async Task Project_ReceivesTheVariablesAspireInjects_AndStopsBeforeItsDependencies()
    {
        using var cts = TestApps.Timeout();
        var builder = TestApps.CreateBuilder();
        var cache = builder.AddRedis("cache");
        var backend = builder.AddTestService("backend").WithReplicas(2);
        builder.AddTestService("front").WithReference(cache).WaitFor(cache).WithReference(backend).WaitFor(backend).WithEnvironment("EXTRA", "1");
        await using var app = await builder.BuildAsync(cts.Token);
        var exits = new List<string>();
        app.ResourceNotifications.Changed += s =>
        {
            if (s.State == ResourceState.Exited)
            {
                lock (exits)
                {
                    exits.Add(s.ResourceName);
                }
            }
        };
        await app.StartAsync(cts.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("front", cts.Token);

        using var client = app.CreateHttpClient("front");
        var environment = await client.GetFromJsonAsync<Dictionary<string, string?>>("/environment", cts.Token);

        Assert.NotNull(environment);
        var redisPort = app.GetEndpoint("cache").Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var password = ((RedisResource)app.Resources.Single(r => r.Name == "cache")).Password.Value;
        Assert.Equal($"127.0.0.1:{redisPort},password={password}", environment["ConnectionStrings__cache"]);
        Assert.Equal(await app.GetConnectionStringAsync("cache", cts.Token), environment["ConnectionStrings__cache"]);
        Assert.Equal("127.0.0.1", environment["CACHE_HOST"]);
        Assert.Equal(redisPort, environment["CACHE_PORT"]);
        Assert.Equal(password, environment["CACHE_PASSWORD"]);
        Assert.Equal($"redis://:{password}@127.0.0.1:{redisPort}", environment["CACHE_URI"]);
        Assert.Equal(app.GetEndpoint("backend", "http", 0).ToString().TrimEnd('/'), environment["services__backend__http__0"]);
        Assert.Equal(app.GetEndpoint("backend", "http", 1).ToString().TrimEnd('/'), environment["services__backend__http__1"]);
        Assert.NotEqual(environment["services__backend__http__0"], environment["services__backend__http__1"]);
        Assert.Equal(app.GetEndpoint("front").ToString().TrimEnd('/'), environment["ASPNETCORE_URLS"]);
        Assert.Equal("front", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal($"service.instance.id={TestApps.Single(app, "front").InstanceId}", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", environment["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("1", environment["EXTRA"]);

        // Both backend replicas really serve on the advertised addresses.
        using var http = new HttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri(new Uri(environment["services__backend__http__1"]!), "/health"), cts.Token));

        await app.DisposeAsync();

        // Reverse dependency order: the front goes first, Redis and the backends after it.
        Assert.Equal("front", exits[0]);
        Assert.Equal(4, exits.Count);
        Assert.False(LoopbackPort.IsListening(int.Parse(redisPort, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
