using Observability.Deploy.ManifestTool;

namespace Observability.Deploy.Tests;

/// <summary>The generator's output for the manifest under test, and what is committed in deploy/.</summary>
internal static class GeneratedArtefacts
{
    public static string ManifestJson => Repository.Read(Repository.FixtureManifestPath);

    public static string SettingsJson => Repository.Read(Repository.Deploy("deploy-settings.json"));

    public static IReadOnlyDictionary<string, string> Generate() => DeploymentGenerator.Generate(ManifestJson, SettingsJson);

    /// <summary>Every committed file of deploy/kubernetes and deploy/compose (relative path with '/').</summary>
    public static IReadOnlyDictionary<string, string> Committed() =>
        new[] { DeploymentGenerator.KubernetesFolder, DeploymentGenerator.ComposeFolder }
            .SelectMany(folder => Directory.EnumerateFiles(Repository.Deploy(folder)))
            .Where(file => !DeploymentGenerator.IsParameterValues(Path.GetFileName(file)))
            .ToDictionary(
                file => Path.GetRelativePath(Repository.Deploy(), file).Replace('\\', '/'),
                Repository.Read,
                StringComparer.Ordinal);

    /// <summary>A copy of a generated folder with every parameter given <paramref name="value"/>, for the validators.</summary>
    public static DirectoryInfo CopyWithParameters(string folder, Func<string, string> value)
    {
        var copy = Directory.CreateTempSubdirectory("deploy-test-");
        foreach (var file in Directory.EnumerateFiles(Repository.Deploy(folder)))
        {
            File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)));
        }

        foreach (var example in Directory.EnumerateFiles(copy.FullName, "*.example", SearchOption.TopDirectoryOnly)
                     .Concat(Directory.EnumerateFiles(copy.FullName, ".*.example")).Distinct())
        {
            var lines = File.ReadAllLines(example)
                .Where(line => !line.StartsWith('#') && line.EndsWith('='))
                .Select(line => line + value(line.TrimEnd('=')));
            File.WriteAllLines(Path.Combine(copy.FullName, Path.GetFileNameWithoutExtension(example)), lines);
        }

        return copy;
    }
}
