using Observability.Hosting.Health;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.ApplicationModel;

/// <summary>
/// A .NET project of the solution, built with the app host and launched from its build output
/// (<c>dotnet {TargetPath}</c>, working directory the project's folder), one process per replica.
/// </summary>
public sealed class ProjectResource : Resource, IResourceWithEnvironment
{
    internal ProjectResource(string name, string projectPath, string targetPath)
        : base(name)
    {
        ProjectPath = projectPath;
        TargetPath = targetPath;
        RestartOnCrash = true;
        Endpoints.Add(new ResourceEndpoint("http", "http", FixedPort: null));
    }

    /// <summary>The project file.</summary>
    public string ProjectPath { get; }

    /// <summary>The built assembly that is launched.</summary>
    public string TargetPath { get; }

    /// <summary>The HTTP path probed for health (<c>WithHttpHealthCheck</c>); without one, a replica is ready once its port accepts connections.</summary>
    internal string? HealthPath { get; set; }

    internal override async Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(TargetPath))
        {
            throw new FileNotFoundException($"'{TargetPath}' does not exist: build the app host first (dotnet build), which builds '{ProjectPath}'.", TargetPath);
        }

        var environment = EnvironmentFactory.Create(this, context);
        environment["ASPNETCORE_URLS"] = string.Join(';', Endpoints.Select(e => e.Url(context.Index).ToString().TrimEnd('/')));
        var spec = new ProcessSpec(DotnetHost.Path, [TargetPath], Path.GetDirectoryName(ProjectPath)!, environment);
        return await context.Host.Launcher.StartAsync(spec, context.Log, context.InstanceId).ConfigureAwait(false);
    }

    internal override IHealthProbe CreateHealthProbe(ReplicaContext context) =>
        HealthPath is null
            ? new TcpConnectProbe(ResourceEndpoint.Host, context.Port("http"))
            : new HttpHealthProbe(context.Host.HttpClient, new Uri(Endpoint("http").Url(context.Index), HealthPath));
}
