using Microsoft.Extensions.Hosting.Internal;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Dashboard;
using Observability.Hosting.Logs;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Testing;

namespace Observability.Hosting.Tests;

/// <summary>What the dashboard and the resources exporting to it receive, without starting anything.</summary>
public sealed class DashboardEnvironmentTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "dashboard-environment-" + Guid.NewGuid().ToString("N"));
    private readonly DashboardResource _dashboard = new(
        "dashboard",
        "/src/Dashboard/Dashboard.csproj",
        "/src/artifacts/Observability.Dashboard.dll",
        new ParameterResource("dashboard-otlp-api-key", () => "the-api-key", secret: true),
        new ParameterResource("dashboard-browser-token", () => "the-token", secret: true));

    private readonly ExecutableResource _job = new("job", "true", ".", []);

    public DashboardEnvironmentTests() => PortAllocator.Allocate([_dashboard, _job], randomize: true);

    [Fact]
    public void Create_ApplicationWithDashboard_ExportsToItsOtlpEndpointWithTheApiKey()
    {
        var environment = CreateFor(_job, new HostingOptions { StateDirectory = _stateDirectory });

        Assert.Equal($"http://127.0.0.1:{_dashboard.Endpoint("otlp").Port(0)}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("x-otlp-api-key=the-api-key", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("1000", environment["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", environment["OTEL_BLRP_SCHEDULE_DELAY"]);
        Assert.Equal("1000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
    }

    [Fact]
    public void Create_ExplicitOtlpEndpoint_WinsOverTheDashboard()
    {
        var options = new HostingOptions { StateDirectory = _stateDirectory, OtlpEndpoint = new Uri("http://collector:4318"), OtlpProtocol = "http/protobuf" };

        var environment = CreateFor(_job, options);

        Assert.Equal("http://collector:4318", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Null(environment["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    [Fact]
    public void CreateEnvironment_Dashboard_DoesNotExportToItselfAndGetsItsEndpointsKeysAndStorage()
    {
        var options = new HostingOptions { StateDirectory = _stateDirectory };
        using var host = new HostingContext(options, new HostingEnvironment { EnvironmentName = "Development" }, TimeProvider.System, _dashboard);

        var environment = _dashboard.CreateEnvironment(Replica(_dashboard, host));

        // Null removes a value the app host's own environment may hold.
        Assert.Null(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Null(environment["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Null(environment["ASPNETCORE_URLS"]);
        Assert.Equal($"http://127.0.0.1:{_dashboard.Endpoint("http").Port(0)}", environment["Kestrel__Endpoints__Http__Url"]);
        Assert.Equal(_dashboard.OtlpEndpoint, environment["Kestrel__Endpoints__Otlp__Url"]);
        Assert.Equal("Http2", environment["Kestrel__Endpoints__Otlp__Protocols"]);
        Assert.Equal("the-api-key", environment["Dashboard__Otlp__PrimaryApiKey"]);
        Assert.Equal("the-token", environment["Dashboard__Frontend__BrowserToken"]);
        Assert.Equal(Path.Combine(_stateDirectory, "dashboard"), environment["Dashboard__Storage__DataDirectory"]);
        Assert.True(Directory.Exists(Path.Combine(_stateDirectory, "dashboard")));
    }

    [Fact]
    public void LoginUrl_Allocated_PointsAtTheUiEndpointWithTheToken()
    {
        Assert.Equal(new Uri($"http://127.0.0.1:{_dashboard.Endpoint("http").Port(0)}/login?t=the-token"), _dashboard.LoginUrl);
    }

    [Fact]
    public void AddDashboard_Twice_Throws()
    {
        var builder = DistributedApplicationTestingBuilder.Create(typeof(AppHostTests).Assembly);
        builder.AddDashboard("dashboard", TestApps.TestServicePath);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddDashboard("dashboard2", TestApps.TestServicePath));

        Assert.Contains("already has a dashboard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDashboard_BrowserTokenConfigured_UsesIt_ElseNewPerRun()
    {
        var configured = DistributedApplicationTestingBuilder.Create(typeof(AppHostTests).Assembly, "--Parameters:dashboard-browser-token=chosen");
        var chosen = configured.AddDashboard("dashboard", TestApps.TestServicePath).Resource;
        var first = DistributedApplicationTestingBuilder.Create(typeof(AppHostTests).Assembly).AddDashboard("dashboard", TestApps.TestServicePath).Resource;
        var second = DistributedApplicationTestingBuilder.Create(typeof(AppHostTests).Assembly).AddDashboard("dashboard", TestApps.TestServicePath).Resource;

        Assert.Equal("chosen", chosen.BrowserToken.Value);
        Assert.Matches("^[0-9a-f]{32}$", first.BrowserToken.Value);
        Assert.NotEqual(first.BrowserToken.Value, second.BrowserToken.Value);
        Assert.Equal("dashboard-otlp-api-key", first.OtlpApiKey.Name);
    }

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    private static ReplicaContext Replica(Resource resource, HostingContext host) =>
        new(resource, 0, "abcde", host, new ResourceLogBuffer(10, TimeProvider.System));

    private Dictionary<string, string?> CreateFor(Resource resource, HostingOptions options)
    {
        using var host = new HostingContext(options, new HostingEnvironment { EnvironmentName = "Development" }, TimeProvider.System, _dashboard);
        return EnvironmentFactory.Create(resource, Replica(resource, host));
    }
}
