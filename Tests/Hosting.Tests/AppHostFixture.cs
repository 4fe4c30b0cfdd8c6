using System.Net;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Dashboard;
using Observability.Hosting.Testing;

namespace Observability.Hosting.Tests;

/// <summary>
/// The app host's own model (AppHost/Program.cs) with local binaries and sample traffic on, started once for every
/// test of the <see cref="WholeApplication"/> collection, and a dashboard query API client logged in with the
/// browser token.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly string[] Resources = ["dashboard", "gateway", "worker", "websockethub", "sample-traffic"];
    private DistributedApplication? _app;
    private HttpClient? _api;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app host has not started.");

    /// <summary>The query API, with the login cookie.</summary>
    public HttpClient Api => _api ?? throw new InvalidOperationException("The app host has not started.");

    public DashboardResource Dashboard => App.Resources.OfType<DashboardResource>().Single();

    public async ValueTask InitializeAsync()
    {
        using var cts = TestApps.Timeout(90);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(["--AppHost:Runtime=local", "--AppHost:SampleTraffic=true"], cts.Token);
        // A job whose worker died is taken over after ClaimIdleTime (default 1 min); shortened so the test of a killed
        // replica waits seconds. Live workers re-claim their own jobs every MaintenanceInterval, well inside it.
        var worker = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "worker");
        builder.CreateResourceBuilder(worker)
            .WithEnvironment("Workflows__Worker__ClaimIdleTime", "00:00:03")
            .WithEnvironment("Workflows__Worker__MaintenanceInterval", "00:00:00.5");
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        await TestApps.WaitAllHealthyAsync(_app, Resources, cts.Token);

        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        _api = new HttpClient(handler) { BaseAddress = _app.GetEndpoint("dashboard", "http"), Timeout = TimeSpan.FromSeconds(10) };
        using var login = await _api.GetAsync(Dashboard.LoginUrl, cts.Token);
        if (login.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The dashboard refused its own login link: {(int)login.StatusCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
