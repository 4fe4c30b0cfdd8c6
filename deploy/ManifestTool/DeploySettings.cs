using System.Text.Json;
using System.Text.Json.Serialization;

namespace Observability.Deploy.ManifestTool;

/// <summary>
/// What a deployment needs that the Aspire manifest does not carry (deploy/deploy-settings.json): replicas (the
/// 13.6 manifest does not write <c>WithReplicas</c>), resource requests, the images the SDK publishes for the
/// projects, the ports published by Compose, and the Aspire dashboard that receives OTLP.
/// </summary>
internal sealed class DeploySettings
{
    /// <summary>Prefix of each project's image: the prefix plus the project file's name in lower case (eng/Container.props).</summary>
    public required string ImageRepositoryPrefix { get; init; }

    /// <summary>The port every project listens on in its container (<c>HTTP_PORTS</c>).</summary>
    public int ProjectPort { get; init; } = 8080;

    /// <summary>Replicas per resource; 1 when absent.</summary>
    public Dictionary<string, int> Replicas { get; init; } = [];

    /// <summary>Requests per resource, <c>default</c> for the others.</summary>
    public Dictionary<string, ResourceRequests> Requests { get; init; } = [];

    /// <summary>Host port per resource that Compose publishes on 127.0.0.1.</summary>
    public Dictionary<string, int> Published { get; init; } = [];

    /// <summary>The Aspire dashboard every project exports its telemetry to.</summary>
    public required DashboardSettings Dashboard { get; init; }

    public static DeploySettings Parse(string json) =>
        JsonSerializer.Deserialize(json, DeploySettingsJsonContext.Default.DeploySettings)
        ?? throw new InvalidOperationException("The deploy settings are empty.");

    public int ReplicasOf(string resource) => Replicas.GetValueOrDefault(resource, 1);

    public ResourceRequests RequestsOf(string resource) =>
        Requests.TryGetValue(resource, out var requests) ? requests
        : Requests.TryGetValue("default", out requests) ? requests
        : throw new InvalidOperationException($"No requests for '{resource}' and no 'default'.");
}

/// <summary>CPU (Kubernetes quantity, e.g. <c>100m</c>) and memory (e.g. <c>128Mi</c>) a container asks for.</summary>
internal sealed record ResourceRequests(string Cpu, string Memory);

/// <summary>The standalone Aspire dashboard: its image and ports (browser, OTLP/gRPC).</summary>
internal sealed record DashboardSettings(string Name, string Image, int BrowserPort, int OtlpPort);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(DeploySettings))]
internal sealed partial class DeploySettingsJsonContext : JsonSerializerContext;
