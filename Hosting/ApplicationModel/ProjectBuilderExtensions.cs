namespace Observability.Hosting.ApplicationModel;

/// <summary>Adds projects and their options.</summary>
public static class ProjectBuilderExtensions
{
    /// <summary>
    /// Adds a project by its path relative to the app host's project (it must be referenced with
    /// <c>IsHostedProject="true"</c>, which builds it with the app host).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (fullPath, targetPath) = builder.Projects.Resolve(projectPath);
        return builder.AddResource(new ProjectResource(name, fullPath, targetPath));
    }

    /// <summary>Runs <paramref name="replicas"/> processes, each on its own port (all listed in <c>services__{name}__http__{i}</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Probes every replica's <paramref name="path"/> over HTTP (2xx is healthy), at start and then continuously; null goes back to "healthy once the port accepts connections".</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string? path = "/health")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.HealthPath = path;
        return builder;
    }

    /// <summary>Listens on a fixed port when there is one replica and ports are not randomized (tests randomize them).</summary>
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(this IResourceBuilder<ProjectResource> builder, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.Endpoints[0] = new ResourceEndpoint("http", "http", port);
        return builder;
    }

    /// <summary>Turns off the restart after a crash (on by default for projects).</summary>
    public static IResourceBuilder<ProjectResource> WithoutRestart(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.RestartOnCrash = false;
        return builder;
    }
}
