using System.Text.Json;

namespace Observability.Deploy.ManifestTool.Manifest;

/// <summary>The resources of an Aspire manifest (<c>--publisher manifest</c>), in the order the manifest lists them.</summary>
internal sealed class AspireManifest
{
    private AspireManifest(IReadOnlyDictionary<string, ManifestResource> resources) => Resources = resources;

    /// <summary>Every resource by name.</summary>
    public IReadOnlyDictionary<string, ManifestResource> Resources { get; }

    /// <summary>The resources that run as workloads: projects and containers.</summary>
    public IEnumerable<ManifestResource> Workloads => Resources.Values.Where(r => r.IsProject || r.IsContainer);

    /// <summary>Parses a manifest's JSON.</summary>
    public static AspireManifest Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var resources = new Dictionary<string, ManifestResource>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.GetProperty("resources").EnumerateObject())
        {
            resources[property.Name] = ManifestResource.Parse(property.Name, property.Value);
        }

        return new AspireManifest(resources);
    }

    /// <summary>The resource named <paramref name="name"/>, or an error naming it.</summary>
    public ManifestResource Get(string name) =>
        Resources.TryGetValue(name, out var resource)
            ? resource
            : throw new InvalidOperationException($"The manifest has no resource named '{name}'.");
}
