using System.Reflection;

namespace Observability.Deploy.Tests;

/// <summary>Paths of the repository under test and of the tools its build restored.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The bicep binary from the Azure.Bicep.CommandLine.linux-x64 package (its props write a Windows-style path).</summary>
    public static string BicepPath { get; } = Path.GetFullPath(Metadata("BicepPath").Replace('\\', '/'));

    public static string FixtureManifestPath { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aspire-manifest.json");

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    public static string Infra(params string[] parts) => Path.Combine([Root, "infra", .. parts]);

    public static string Read(string path) => File.ReadAllText(path);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"No {key} metadata.");
}
