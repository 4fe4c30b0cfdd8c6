using Observability.Deploy.ManifestTool.Manifest;

namespace Observability.Deploy.ManifestTool;

/// <summary>Turns the manifest's projects and containers, plus the dashboard, into <see cref="Workload"/>s.</summary>
internal static class WorkloadBuilder
{
    public static IReadOnlyList<Workload> Build(AspireManifest manifest, DeploySettings settings)
    {
        var resolver = new ValueResolver(manifest, settings.ProjectPort);
        var dashboard = settings.Dashboard;
        var workloads = new List<Workload>();
        foreach (var resource in manifest.Workloads)
        {
            var env = new List<KeyValuePair<string, ResolvedValue>>();
            var dropped = new List<KeyValuePair<string, string>>();
            foreach (var (key, expression) in resource.Env)
            {
                try
                {
                    env.Add(KeyValuePair.Create(key, resolver.Resolve(expression)));
                }
                catch (UnsupportedValueException unsupported)
                {
                    dropped.Add(KeyValuePair.Create(key, unsupported.Message));
                }
            }

            if (resource.IsProject)
            {
                // What Aspire's publishers add at deploy time: the OTLP endpoint and the service's name.
                env.Add(Literal("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://{dashboard.Name}:{dashboard.OtlpPort}"));
                env.Add(Literal("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
                env.Add(Literal("OTEL_SERVICE_NAME", resource.Name));
            }

            var ports = resource.Bindings.Values
                .Where(b => b.Scheme != "https")
                .Select(b => new WorkloadPort(b.Name, resolver.PortOf(resource, b), b.Transport == "http"))
                .ToList();
            var dependsOn = resource.Env.SelectMany(e => ReferencedWorkloads(manifest, e.Value))
                .Where(name => name != resource.Name)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            workloads.Add(new Workload(
                resource.Name,
                resource.IsProject ? ProjectImage(resource, settings) : resource.Image ?? throw new InvalidOperationException($"Container '{resource.Name}' has no image."),
                resource.IsProject,
                resource.Entrypoint,
                resource.Args,
                ports,
                env,
                dropped,
                dependsOn,
                settings.ReplicasOf(resource.Name),
                settings.RequestsOf(resource.Name)));
        }

        workloads.Add(new Workload(
            dashboard.Name,
            dashboard.Image,
            IsProject: false,
            Entrypoint: null,
            Args: [],
            [new WorkloadPort("http", dashboard.BrowserPort, true), new WorkloadPort("otlp-grpc", dashboard.OtlpPort, false)],
            [
                Literal("ASPNETCORE_URLS", $"http://0.0.0.0:{dashboard.BrowserPort}"),
                Literal("DOTNET_DASHBOARD_OTLP_ENDPOINT_URL", $"http://0.0.0.0:{dashboard.OtlpPort}"),
                // Inside the cluster network only; the browser side keeps its login token (printed in the dashboard's log).
                Literal("Dashboard__Otlp__AuthMode", "Unsecured"),
            ],
            [],
            [],
            1,
            settings.RequestsOf(dashboard.Name)));
        return workloads;
    }

    private static KeyValuePair<string, ResolvedValue> Literal(string key, string text)
    {
        var value = new ResolvedValue();
        value.Append(text);
        return KeyValuePair.Create(key, value);
    }

    private static string ProjectImage(ManifestResource resource, DeploySettings settings)
    {
        var project = Path.GetFileNameWithoutExtension(resource.ProjectPath ?? throw new InvalidOperationException($"Project '{resource.Name}' has no path."));
        return settings.ImageRepositoryPrefix + project.ToLowerInvariant();
    }

    /// <summary>The workloads an expression reaches, directly or through connection strings.</summary>
    private static IEnumerable<string> ReferencedWorkloads(AspireManifest manifest, string expression)
    {
        var position = 0;
        while ((position = expression.IndexOf('{', position)) >= 0)
        {
            var close = expression.IndexOf('}', position);
            var name = expression[(position + 1)..close].Split('.')[0];
            position = close + 1;
            if (!manifest.Resources.TryGetValue(name, out var resource))
            {
                continue;
            }

            if (resource.IsProject || resource.IsContainer)
            {
                yield return name;
            }
            else if (resource.ConnectionString is { } connectionString)
            {
                foreach (var inner in ReferencedWorkloads(manifest, connectionString))
                {
                    yield return inner;
                }
            }
        }
    }
}
