namespace Observability.Hosting.ApplicationModel;

/// <summary>Adds executables.</summary>
public static class ExecutableBuilderExtensions
{
    /// <summary>Adds a program run in <paramref name="workingDirectory"/> (relative to the app host's project).</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(
        this DistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = Path.GetFullPath(workingDirectory, builder.Projects.ProjectDirectory ?? Environment.CurrentDirectory);
        return builder.AddResource(new ExecutableResource(name, command, directory, arguments));
    }
}
