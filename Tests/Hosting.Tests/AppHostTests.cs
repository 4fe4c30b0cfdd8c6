using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Health;
using Observability.Hosting.Redis;
using Observability.Hosting.Testing;
using Observability.TestInfrastructure.Processes;

namespace Observability.Hosting.Tests;

/// <summary>The app host's own model (AppHost/Program.cs), run by the testing builder on real servers and processes.</summary>
[Trait("Category", "Integration")]
[Collection(OwnWholeApplication.Name)]
public sealed class AppHostTests
{
    private static readonly string[] Resources = ["dashboard", "cache", "postgres", "workflows", "gateway", "worker", "websockethub"];

    [Fact]
    public async Task AppHost_StartedWithLocalBinaries_EveryResourceHealthy_AndDisposalLeavesNothingBehind()
    {
        using var cts = TestApps.Timeout(90);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(["--AppHost:Runtime=local"], cts.Token);
        var app = await builder.BuildAsync(cts.Token);
        await using (app)
        {
            // Exactly the application's resources: the sample traffic is off by default.
            Assert.DoesNotContain(app.Resources, r => r.Name == "sample-traffic");
            Assert.Equal(Resources.Order(), app.Resources.Where(r => r is not ParameterResource).Select(r => r.Name).Order());
            await app.StartAsync(cts.Token);
            await TestApps.WaitAllHealthyAsync(app, Resources, cts.Token);

            TestContext.Current.SendDiagnosticMessage($"All resources healthy {app.AllHealthyAfter?.TotalSeconds:0.00} s after start.");
            var workers = app.ResourceNotifications.GetReplicas("worker");
            Assert.Equal(2, workers.Count);
            Assert.NotEqual(workers[0].ProcessId, workers[1].ProcessId);

            var connectionString = await app.GetConnectionStringAsync("workflows", cts.Token);
            await using (var connection = new NpgsqlConnection(connectionString + ";Pooling=false"))
            {
                await connection.OpenAsync(cts.Token);
                await using var command = new NpgsqlCommand("SELECT current_database()", connection);
                Assert.Equal("workflows", await command.ExecuteScalarAsync(cts.Token));
            }

            var cache = (RedisResource)app.Resources.Single(r => r.Name == "cache");
            var ping = await new RedisPingProbe("127.0.0.1", app.GetEndpoint("cache").Port, cache.Password.Value).CheckAsync(cts.Token);
            Assert.Equal(HealthStatus.Healthy, ping.Status);

            var groups = TestApps.ProcessIds(app);
            var ports = app.Resources.SelectMany(r => Enumerable.Range(0, r.Replicas).SelectMany(i => r.Endpoints.Select(e => e.Port(i)))).ToList();
            var stateDirectory = app.StateDirectory;
            Assert.Equal(7, groups.Count);
            Assert.All(ports, port => Assert.True(LoopbackPort.IsListening(port), $"port {port}"));

            await app.DisposeAsync();

            Assert.Empty(ProcessTree.InGroups(groups));
            Assert.All(ports, port => Assert.False(LoopbackPort.IsListening(port), $"port {port}"));
            Assert.False(Directory.Exists(stateDirectory));
        }
    }
}
