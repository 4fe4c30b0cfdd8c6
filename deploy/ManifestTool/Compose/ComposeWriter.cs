using System.Globalization;
using System.Text;
using static Observability.Deploy.ManifestTool.Yaml;

namespace Observability.Deploy.ManifestTool.Compose;

/// <summary>
/// A Compose file with the same workloads: parameters are interpolated from variables (the <c>.env</c> file beside
/// it, never committed), and Compose refuses to start when one is missing.
/// </summary>
internal static class ComposeWriter
{
    public const string FileName = "compose.yaml";
    public const string ValuesFile = ".env";

    /// <summary>File name → content.</summary>
    public static IReadOnlyDictionary<string, string> Write(IReadOnlyList<Workload> workloads, IReadOnlyList<string> parameters, DeploySettings settings)
    {
        var services = new Dictionary<string, object?>(StringComparer.Ordinal);
        var header = new StringBuilder(Generated.Header);
        foreach (var workload in workloads)
        {
            foreach (var (key, reason) in workload.Dropped)
            {
                header.Append(CultureInfo.InvariantCulture, $"# Left out of {workload.Name}: {key} ({reason}).\n");
            }

            var environment = workload.Env.ToDictionary(
                e => e.Key,
                e => (object?)e.Value.Render(Interpolate, Escape),
                StringComparer.Ordinal);
            services[workload.Name] = Map(
                ("image", workload.IsProject ? workload.Image + ":${IMAGE_TAG:-latest}" : workload.Image),
                ("entrypoint", workload.Entrypoint is null ? null : new[] { workload.Entrypoint }),
                ("command", workload.Args.Count == 0 ? null : workload.Args.Select(Escape).ToList()),
                ("environment", environment),
                ("ports", settings.Published.TryGetValue(workload.Name, out var published)
                    ? new[] { $"127.0.0.1:{published}:{workload.Ports[0].Port}" }
                    : null),
                ("depends_on", workload.DependsOn.Count == 0 ? null : workload.DependsOn),
                ("deploy", Map(
                    ("replicas", workload.Replicas),
                    ("resources", Map(("reservations", Map(("cpus", Cpus(workload.Requests.Cpu)), ("memory", Memory(workload.Requests.Memory)))))))),
                ("restart", "unless-stopped"));
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FileName] = header + Serialize(Map(("services", services))),
            [ValuesFile + ".example"] = Generated.Header
                + "# Copy to .env (never committed) and give every parameter a value, e.g. openssl rand -base64 33\n"
                + string.Concat(parameters.Select(p => $"{Generated.EnvironmentName(p)}=\n")),
        };
    }

    private static string Interpolate(string parameter)
    {
        var name = Generated.EnvironmentName(parameter);
        return $"${{{name}:?set {name} in .env}}";
    }

    private static string Escape(string literal) => literal.Replace("$", "$$", StringComparison.Ordinal);

    /// <summary>Kubernetes CPU quantity (<c>250m</c>, <c>1</c>) as Compose's decimal cpus.</summary>
    private static string Cpus(string quantity) =>
        quantity.EndsWith('m')
            ? (int.Parse(quantity[..^1], CultureInfo.InvariantCulture) / 1000m).ToString("0.###", CultureInfo.InvariantCulture)
            : quantity;

    /// <summary>Kubernetes memory quantity (<c>128Mi</c>, <c>1Gi</c>) as Compose's byte value (<c>128M</c>, <c>1G</c>).</summary>
    private static string Memory(string quantity) => quantity.EndsWith('i') ? quantity[..^1] : quantity;
}
