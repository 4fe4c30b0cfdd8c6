namespace Observability.AppHost.Tests;

/// <summary>
/// The app host's own model (AppHost/Program.cs) through Aspire's testing builder, with the local Redis and PostgreSQL
/// binaries, monitoring on (Prometheus, Alertmanager, the servers' exporters) and a temporary data directory, started
/// once for every test of the <see cref="WholeApplication"/> collection (the testing builder runs without the dashboard).
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly string[] Resources =
        ["cache", "postgres", "workflows", "gateway", "worker", "websockethub", "prometheus", "alertmanager", "redis-exporter", "postgres-exporter"];
    private readonly TemporaryDirectory _data = new("apphost-tests");
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app host has not started.");

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:Servers=local", "--AppHost:Monitoring=true", $"--AppHost:DataDirectory={_data.Path}"], cts.Token);
        // A job whose worker died is taken over after ClaimIdleTime (default 1 min); shortened so the test of a killed
        // replica waits seconds. Live workers re-claim their own jobs every MaintenanceInterval, well inside it.
        var worker = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "worker");
        builder.CreateResourceBuilder(worker)
            .WithEnvironment("Workflows__Worker__ClaimIdleTime", "00:00:03")
            .WithEnvironment("Workflows__Worker__MaintenanceInterval", "00:00:00.5");
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        await Task.WhenAll(Resources.Select(name => _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _data.Dispose();
    }
}

/// <summary>The tests that share one running application.</summary>
[CollectionDefinition(Name)]
public sealed class WholeApplication : ICollectionFixture<AppHostFixture>
{
    public const string Name = "Whole application";
}
