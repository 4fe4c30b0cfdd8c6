using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Health;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Dashboard;

/// <summary>
/// The telemetry dashboard (the <c>Dashboard</c> project), launched from its build output like a project, with an
/// OTLP/gRPC endpoint (cleartext HTTP/2) every other project and executable exports to, and an HTTP endpoint for
/// the browser and the query API. It does not export to itself.
/// </summary>
public sealed class DashboardResource : Resource, IResourceWithEnvironment
{
    /// <summary>The header that carries the OTLP API key.</summary>
    public const string ApiKeyHeader = "x-otlp-api-key";

    /// <summary>The protocol services export with (the <c>otlp</c> endpoint speaks HTTP/2 only).</summary>
    public const string OtlpProtocol = "grpc";

    internal DashboardResource(string name, string projectPath, string targetPath, ParameterResource otlpApiKey, ParameterResource browserToken)
        : base(name)
    {
        ProjectPath = projectPath;
        TargetPath = targetPath;
        OtlpApiKey = otlpApiKey;
        BrowserToken = browserToken;
        RestartOnCrash = true;
        Endpoints.Add(new ResourceEndpoint("http", "http", FixedPort: null));
        Endpoints.Add(new ResourceEndpoint("otlp", "http", FixedPort: null));
    }

    /// <summary>The dashboard's project file.</summary>
    public string ProjectPath { get; }

    /// <summary>The built assembly that is launched.</summary>
    public string TargetPath { get; }

    /// <summary>The key exporters present in <see cref="ApiKeyHeader"/> (generated once per user, kept under the state directory).</summary>
    public ParameterResource OtlpApiKey { get; }

    /// <summary>The token a browser exchanges for a cookie at <c>/login?t=</c> (new on every run).</summary>
    public ParameterResource BrowserToken { get; }

    /// <summary>Where a browser logs in: the UI endpoint's <c>/login?t={token}</c>.</summary>
    internal Uri LoginUrl => new(Endpoint("http").Url(0), "/login?t=" + Uri.EscapeDataString(BrowserToken.Value));

    /// <summary>The OTLP endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    internal string OtlpEndpoint => Endpoint("otlp").Url(0).ToString().TrimEnd('/');

    /// <summary>The headers every export carries, as OTEL_EXPORTER_OTLP_HEADERS.</summary>
    internal string OtlpHeaders => $"{ApiKeyHeader}={OtlpApiKey.Value}";

    /// <summary>The dashboard's own environment: its endpoints, its keys and where it keeps telemetry across runs.</summary>
    internal Dictionary<string, string?> CreateEnvironment(ReplicaContext context)
    {
        var environment = EnvironmentFactory.Create(this, context);
        // Two endpoints with different protocols need Kestrel's endpoint configuration (it overrides ASPNETCORE_URLS).
        environment["ASPNETCORE_URLS"] = null;
        environment["Kestrel__Endpoints__Http__Url"] = Endpoint("http").Url(context.Index).ToString().TrimEnd('/');
        environment["Kestrel__Endpoints__Otlp__Url"] = OtlpEndpoint;
        environment["Kestrel__Endpoints__Otlp__Protocols"] = "Http2";
        environment["Dashboard__Otlp__AuthMode"] = "ApiKey";
        environment["Dashboard__Otlp__PrimaryApiKey"] = OtlpApiKey.Value;
        environment["Dashboard__Frontend__AuthMode"] = "BrowserToken";
        environment["Dashboard__Frontend__BrowserToken"] = BrowserToken.Value;
        environment["Dashboard__Storage__DataDirectory"] = context.Host.StateDirectoryFor(Name);
        return environment;
    }

    internal override async Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(TargetPath))
        {
            throw new FileNotFoundException($"'{TargetPath}' does not exist: build the app host first (dotnet build), which builds '{ProjectPath}'.", TargetPath);
        }

        var spec = new ProcessSpec(DotnetHost.Path, [TargetPath], Path.GetDirectoryName(ProjectPath)!, CreateEnvironment(context));
        return await context.Host.Launcher.StartAsync(spec, context.Log, context.InstanceId).ConfigureAwait(false);
    }

    internal override IHealthProbe CreateHealthProbe(ReplicaContext context) => new TcpConnectProbe(ResourceEndpoint.Host, context.Port("http"));
}
