using Observability.Deploy.ManifestTool.Manifest;

namespace Observability.Deploy.ManifestTool;

/// <summary>One workload to deploy, with every manifest value resolved for a network where resources go by name.</summary>
internal sealed record Workload(
    string Name,
    string Image,
    bool IsProject,
    string? Entrypoint,
    IReadOnlyList<string> Args,
    IReadOnlyList<WorkloadPort> Ports,
    IReadOnlyList<KeyValuePair<string, ResolvedValue>> Env,
    IReadOnlyList<KeyValuePair<string, string>> Dropped,
    IReadOnlyList<string> DependsOn,
    int Replicas,
    ResourceRequests Requests)
{
    /// <summary>Variables with no parameter in them.</summary>
    public IEnumerable<KeyValuePair<string, string>> PlainEnv =>
        Env.Where(e => !e.Value.Parameters.Any()).Select(e => KeyValuePair.Create(e.Key, e.Value.Render(_ => "")));

    /// <summary>Variables that carry a parameter (a secret): they never hold a value in a committed file.</summary>
    public IEnumerable<KeyValuePair<string, ResolvedValue>> ParameterEnv => Env.Where(e => e.Value.Parameters.Any());
}

/// <summary>A port a workload listens on.</summary>
internal sealed record WorkloadPort(string Name, int Port, bool IsHttp);
