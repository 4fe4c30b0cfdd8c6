using System.Text.RegularExpressions;
using k8s.Models;
using Observability.Deploy.ManifestTool.Manifest;
using YamlDotNet.RepresentationModel;

namespace Observability.Deploy.Tests;

/// <summary>
/// Every environment variable each service reads is set by the manifest, the Bicep, the Kubernetes manifests and the
/// Compose file, and no secret is written in plain text in any of them.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class DriftTests
{
    /// <summary>ServiceDefaults' OTLP settings; Aspire's publishers set the endpoint and service name at deploy time.</summary>
    private static readonly string[] Telemetry = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"];

    /// <summary>What each service reads from its environment (see each service's Extensions and ServiceDefaults/Telemetry).</summary>
    private static readonly Dictionary<string, string[]> Reads = new(StringComparer.Ordinal)
    {
        ["gateway"] = ["ConnectionStrings__cache", "ConnectionStrings__workflows", "EventTickets__SigningKey", "services__websockethub__http__0", .. Telemetry],
        ["worker"] = ["ConnectionStrings__cache", "ConnectionStrings__workflows", .. Telemetry],
        ["websockethub"] = ["ConnectionStrings__cache", "ConnectionStrings__workflows", "EventTickets__SigningKey", .. Telemetry],
    };

    public static TheoryData<string> Services => [.. Reads.Keys];

    [Theory]
    [MemberData(nameof(Services))]
    public void Manifest_SetsWhatTheServiceReads(string service)
    {
        var env = Manifest.Get(service).Env.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        AssertNoneMissing(service, Reads[service].Except(Telemetry).Where(name => !env.Contains(name)));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Kubernetes_SetsWhatTheServiceReads(string service)
    {
        var env = KubernetesEnv(await KubernetesTests.BuildAsync(), service).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        AssertNoneMissing(service, Reads[service].Where(name => !env.Contains(name)));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Compose_SetsWhatTheServiceReads(string service)
    {
        var env = ComposeEnv(service);

        AssertNoneMissing(service, Reads[service].Where(name => !env.ContainsKey(name)));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Bicep_SetsWhatTheServiceReads(string service)
    {
        var env = BicepEnv(service);

        AssertNoneMissing(service, Reads[service].Where(name => !env.ContainsKey(name)));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task KubernetesAndCompose_SetEveryManifestVariable_OrSayWhyNot(string service)
    {
        var kubernetes = KubernetesEnv(await KubernetesTests.BuildAsync(), service).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var compose = ComposeEnv(service);
        var leftOut = LeftOut(Repository.Read(Repository.Deploy("kubernetes", $"{service}.yaml")));

        foreach (var (name, _) in Manifest.Get(service).Env)
        {
            Assert.True(kubernetes.Contains(name) || leftOut.Contains(name), $"{service}: {name} is neither in Kubernetes nor listed as left out");
            Assert.True(compose.ContainsKey(name) || leftOut.Contains(name), $"{service}: {name} is neither in Compose nor listed as left out");
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Secrets_AreNeverWrittenInPlainText(string service)
    {
        var secretVariables = SecretVariables(service);
        Assert.NotEmpty(secretVariables);

        // Manifest: each secret is a parameter marked secret, with no value.
        foreach (var parameter in Manifest.Resources.Values.Where(r => r.IsParameter))
        {
            Assert.True(parameter.IsSecret, $"parameter {parameter.Name} is not marked secret");
        }

        // Kubernetes: from the Secret, directly or through $(PARAMETER_...) variables that come from the Secret.
        var objects = await KubernetesTests.BuildAsync();
        var env = KubernetesEnv(objects, service).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var fromSecret = env.Where(e => e.Value.ValueFrom?.SecretKeyRef is not null).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var name in secretVariables.Where(env.ContainsKey))
        {
            var variable = env[name];
            var references = ParameterReference().Matches(variable.Value ?? "").Select(m => m.Groups[1].Value).ToList();
            Assert.True(
                fromSecret.Contains(name) || (references.Count > 0 && references.All(fromSecret.Contains)),
                $"Kubernetes: {service} {name} does not come from the Secret");
        }

        // Compose: interpolated from the environment (.env), refused when missing.
        var compose = ComposeEnv(service);
        foreach (var name in secretVariables.Where(compose.ContainsKey))
        {
            Assert.Matches(@"\$\{[A-Z_]+:\?", compose[name]);
        }

        // Bicep: a container app secret (from a @secure parameter, checked by BicepTests).
        var bicep = BicepEnv(service);
        foreach (var name in secretVariables.Where(bicep.ContainsKey))
        {
            Assert.True(bicep[name] == "secretRef", $"Bicep: {service} {name} is not a secretRef");
        }
    }

    [Fact]
    public void CommittedFiles_HoldNoPassword()
    {
        var files = GeneratedArtefacts.Committed().Values
            .Concat(Directory.EnumerateFiles(Repository.Infra(), "*", SearchOption.AllDirectories).Select(Repository.Read));

        foreach (var text in files)
        {
            foreach (Match match in PasswordAssignment().Matches(text))
            {
                Assert.Matches(@"^(\$\(|\$\{|\$\$|$)", match.Groups[1].Value);
            }
        }
    }

    private static void AssertNoneMissing(string service, IEnumerable<string> missing)
    {
        var names = missing.ToList();
        Assert.True(names.Count == 0, $"{service} reads {string.Join(", ", names)}, which is not set");
    }

    private static AspireManifest Manifest { get; } = AspireManifest.Parse(GeneratedArtefacts.ManifestJson);

    /// <summary>The service's manifest variables whose value carries a secret parameter.</summary>
    private static List<string> SecretVariables(string service)
    {
        var resolver = new ValueResolver(Manifest, 8080);
        return Manifest.Get(service).Env
            .Where(e => ReferencesSecret(resolver, e.Value))
            .Select(e => e.Key)
            .ToList();
    }

    private static bool ReferencesSecret(ValueResolver resolver, string expression)
    {
        try
        {
            return resolver.Resolve(expression).Parameters.Any();
        }
        catch (UnsupportedValueException)
        {
            return expression.Contains("password", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static IEnumerable<KeyValuePair<string, V1EnvVar>> KubernetesEnv(IReadOnlyList<k8s.IKubernetesObject> objects, string service)
    {
        var container = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == service).Spec.Template.Spec.Containers.Single();
        var configMaps = objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);
        foreach (var source in container.EnvFrom ?? [])
        {
            foreach (var (key, value) in configMaps[source.ConfigMapRef.Name].Data)
            {
                yield return KeyValuePair.Create(key, new V1EnvVar { Name = key, Value = value });
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            yield return KeyValuePair.Create(variable.Name, variable);
        }
    }

    private static Dictionary<string, string> ComposeEnv(string service)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Repository.Read(Repository.Deploy("compose", "compose.yaml"))));
        var services = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
        var environment = (YamlMappingNode)((YamlMappingNode)services[service])["environment"];
        return environment.Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>Variable → "value" or "secretRef", from the service's Bicep module and the shared telemetry variables.</summary>
    private static Dictionary<string, string> BicepEnv(string service)
    {
        var text = Repository.Read(Repository.Infra("apps", $"{service}.bicep"));
        if (text.Contains("projectEnv(", StringComparison.Ordinal))
        {
            text += Repository.Read(Repository.Infra("apps", "telemetry.bicep"));
        }

        return BicepVariable().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
    }

    private static HashSet<string> LeftOut(string generatedFile) =>
        LeftOutLine().Matches(generatedFile).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\((PARAMETER_[A-Z0-9_]+)\)")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"\{ name: '([^']+)', (value|secretRef): ")]
    private static partial Regex BicepVariable();

    [GeneratedRegex(@"^# Left out: (\S+) ", RegexOptions.Multiline)]
    private static partial Regex LeftOutLine();

    [GeneratedRegex(@"password=(.{0,2})", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordAssignment();
}
