using System.Reflection;

namespace Observability.Hosting.ApplicationModel;

/// <summary>
/// The projects an app host references with <c>IsHostedProject="true"</c>: their project files and built assemblies,
/// recorded at build time as assembly metadata by <c>Hosting/build/HostedProjects.targets</c>.
/// </summary>
internal sealed class ProjectCatalog
{
    private const string DirectoryKey = "Observability.Hosting.ProjectDirectory";
    private const string ProjectPrefix = "Observability.Hosting.Project:";
    private readonly Dictionary<string, string> _targetPaths;

    private ProjectCatalog(string? projectDirectory, Dictionary<string, string> targetPaths)
    {
        ProjectDirectory = projectDirectory;
        _targetPaths = targetPaths;
    }

    /// <summary>The app host's own project directory, the base of relative project paths.</summary>
    public string? ProjectDirectory { get; }

    public static ProjectCatalog From(Assembly assembly)
    {
        var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToList();
        var directory = metadata.FirstOrDefault(m => m.Key == DirectoryKey)?.Value;
        var targets = metadata
            .Where(m => m.Key.StartsWith(ProjectPrefix, StringComparison.Ordinal) && m.Value is not null)
            .ToDictionary(m => Path.GetFullPath(m.Key[ProjectPrefix.Length..]), m => m.Value!, StringComparer.Ordinal);
        return new ProjectCatalog(directory, targets);
    }

    /// <summary>Resolves a project path (relative to the app host's project) to its full path and built assembly.</summary>
    public (string ProjectPath, string TargetPath) Resolve(string projectPath)
    {
        var fullPath = Path.GetFullPath(projectPath, ProjectDirectory ?? Environment.CurrentDirectory);
        return _targetPaths.TryGetValue(fullPath, out var targetPath)
            ? (fullPath, targetPath)
            : throw new InvalidOperationException(
                $"Project '{projectPath}' ({fullPath}) is not a hosted project of this app host: add " +
                $"<ProjectReference Include=\"{projectPath}\" IsHostedProject=\"true\" ReferenceOutputAssembly=\"false\" /> to the app host's project " +
                "and import Hosting/build/HostedProjects.targets.");
    }
}
