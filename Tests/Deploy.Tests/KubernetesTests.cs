using k8s;
using k8s.Models;

namespace Observability.Deploy.Tests;

/// <summary>
/// deploy/kubernetes built by kustomize (kubectl kustomize: what 'kubectl apply -k' applies) and every object read
/// strictly into the Kubernetes client's models, which rejects unknown or misplaced fields: there is no cluster here,
/// so this stands in for the server-side validation of 'kubectl apply'.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KubernetesTests
{
    private const string SecretValue = "test-only-secret-value-0123456789";

    [Fact]
    public async Task Kustomize_Base_BuildsValidObjects()
    {
        var objects = await BuildAsync();

        Assert.Equal(
            ["ConfigMap", "Deployment", "Secret", "Service"],
            objects.Select(o => o.Kind).Distinct().Order(StringComparer.Ordinal));
        var secret = Assert.Single(objects.OfType<V1Secret>());
        Assert.StartsWith("parameters-", secret.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(["cache-password", "event-ticket-key", "postgres-password"], secret.Data.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Kustomize_Projects_HaveProbesRequestsAndRunAsNonRoot()
    {
        var deployments = (await BuildAsync()).OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);

        foreach (var name in new[] { "gateway", "worker", "websockethub" })
        {
            var container = Assert.Single(deployments[name].Spec.Template.Spec.Containers);
            Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/ready", container.ReadinessProbe.HttpGet.Path);
            Assert.NotNull(container.Resources.Requests["cpu"]);
            Assert.NotNull(container.Resources.Requests["memory"]);
            Assert.True(container.SecurityContext.RunAsNonRoot);
        }

        Assert.Equal(2, deployments["worker"].Spec.Replicas);
        Assert.Equal(1, deployments["gateway"].Spec.Replicas);
    }

    [Fact]
    public async Task Kustomize_SecretReferences_PointAtTheGeneratedSecret()
    {
        var objects = await BuildAsync();
        var secretName = objects.OfType<V1Secret>().Single().Metadata.Name;

        var references = objects.OfType<V1Deployment>()
            .SelectMany(d => d.Spec.Template.Spec.Containers)
            .SelectMany(c => c.Env ?? [])
            .Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .ToList();
        Assert.NotEmpty(references);
        Assert.All(references, e => Assert.Equal(secretName, e.ValueFrom.SecretKeyRef.Name));
    }

    internal static async Task<IReadOnlyList<IKubernetesObject>> BuildAsync()
    {
        var copy = GeneratedArtefacts.CopyWithParameters("kubernetes", _ => SecretValue);
        try
        {
            var result = (await Tool.RunAsync("kubectl", ["kustomize", copy.FullName], copy.FullName)).EnsureSuccess("kubectl kustomize");
            return KubernetesYaml.LoadAllFromString(result.Output, strict: true).Cast<IKubernetesObject>().ToList();
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }
}
