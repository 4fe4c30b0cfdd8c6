using Observability.Deploy.ManifestTool.Compose;
using Observability.Deploy.ManifestTool.Kubernetes;
using Observability.Deploy.ManifestTool.Manifest;

namespace Observability.Deploy.ManifestTool;

/// <summary>The whole step: manifest and settings in, every file of deploy/kubernetes and deploy/compose out.</summary>
internal static class DeploymentGenerator
{
    public const string KubernetesFolder = "kubernetes";
    public const string ComposeFolder = "compose";

    /// <summary>The files beside the generated ones where a user keeps the parameters' values (git ignores them).</summary>
    public static bool IsParameterValues(string fileName) => fileName is KubernetesWriter.ParametersFile or ComposeWriter.ValuesFile;

    /// <summary>Relative path (with '/') → content.</summary>
    public static IReadOnlyDictionary<string, string> Generate(string manifestJson, string settingsJson)
    {
        var manifest = AspireManifest.Parse(manifestJson);
        var settings = DeploySettings.Parse(settingsJson);
        var workloads = WorkloadBuilder.Build(manifest, settings);
        var parameters = workloads.SelectMany(w => w.ParameterEnv).SelectMany(e => e.Value.Parameters)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, content) in KubernetesWriter.Write(workloads, parameters))
        {
            files[$"{KubernetesFolder}/{name}"] = content;
        }

        foreach (var (name, content) in ComposeWriter.Write(workloads, parameters, settings))
        {
            files[$"{ComposeFolder}/{name}"] = content;
        }

        return files;
    }
}
