using Observability.Deploy.ManifestTool;
using Observability.Deploy.ManifestTool.Manifest;

namespace Observability.Deploy.Tests;

/// <summary>The generator (deploy/ManifestTool) on the Aspire manifest, and the committed files it produced.</summary>
public sealed class ManifestToolTests
{
    [Fact]
    public void Generate_FromManifest_MatchesCommittedFiles()
    {
        var generated = GeneratedArtefacts.Generate();
        var committed = GeneratedArtefacts.Committed();

        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in generated)
        {
            Assert.True(content == committed[path],
                $"deploy/{path} differs from what the generator writes; regenerate it (docs/deploy.md, 'Regenerate').");
        }
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Run_IntoAFolder_WritesEveryFileKeepsParameterValuesAndDeletesStaleFiles()
    {
        var output = Directory.CreateTempSubdirectory("manifest-tool-");
        try
        {
            Directory.CreateDirectory(Path.Combine(output.FullName, "kubernetes"));
            await File.WriteAllTextAsync(Path.Combine(output.FullName, "kubernetes", "parameters.env"), "event-ticket-key=kept", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(output.FullName, "kubernetes", "removed-resource.yaml"), "stale", TestContext.Current.CancellationToken);
            var tool = Path.Combine(AppContext.BaseDirectory, "Observability.Deploy.ManifestTool.dll");

            (await Tool.RunAsync("dotnet", [tool, Repository.FixtureManifestPath, Repository.Deploy("deploy-settings.json"), output.FullName], output.FullName))
                .EnsureSuccess("ManifestTool");

            foreach (var (path, content) in GeneratedArtefacts.Generate())
            {
                Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(output.FullName, path), TestContext.Current.CancellationToken));
            }

            Assert.Equal("event-ticket-key=kept", await File.ReadAllTextAsync(Path.Combine(output.FullName, "kubernetes", "parameters.env"), TestContext.Current.CancellationToken));
            Assert.False(File.Exists(Path.Combine(output.FullName, "kubernetes", "removed-resource.yaml")));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Resolve_ConnectionStringWithPassword_KeepsThePasswordAsAParameter()
    {
        var resolver = new ValueResolver(AspireManifest.Parse(GeneratedArtefacts.ManifestJson), projectPort: 8080);

        var value = resolver.Resolve("{cache.connectionString}");

        Assert.Equal("cache:6379,password=<cache-password>", value.Render(p => $"<{p}>"));
        Assert.Equal(["cache-password"], value.Parameters);
    }

    [Fact]
    public void Resolve_ProjectUrl_IsTheServiceNameOnTheProjectPort()
    {
        var resolver = new ValueResolver(AspireManifest.Parse(GeneratedArtefacts.ManifestJson), projectPort: 8080);

        Assert.Equal("http://worker:8080", resolver.Resolve("{worker.bindings.http.url}").Render(_ => ""));
        Assert.Equal("8080", resolver.Resolve("{gateway.bindings.http.targetPort}").Render(_ => ""));
    }

    [Fact]
    public void Resolve_HttpsEndpoint_IsUnsupported()
    {
        // The AppHost's services have http endpoints only; a project with an https one, as Aspire writes it.
        const string manifest = """
            {"resources":{"worker":{"type":"project.v0","path":"../Worker/Worker.csproj","bindings":{
              "http":{"scheme":"http","protocol":"tcp","transport":"http"},
              "https":{"scheme":"https","protocol":"tcp","transport":"http"}}}}}
            """;
        var resolver = new ValueResolver(AspireManifest.Parse(manifest), projectPort: 8080);

        var error = Assert.Throws<UnsupportedValueException>(() => resolver.Resolve("{worker.bindings.https.url}"));
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Workloads_HaveTheSettingsReplicasAndRequests()
    {
        var workloads = WorkloadBuilder.Build(
            AspireManifest.Parse(GeneratedArtefacts.ManifestJson), DeploySettings.Parse(GeneratedArtefacts.SettingsJson));

        var worker = Assert.Single(workloads, w => w.Name == "worker");
        Assert.Equal(2, worker.Replicas);
        Assert.Equal(new ResourceRequests("250m", "256Mi"), worker.Requests);
        Assert.Equal("observability-worker", worker.Image);
        Assert.Equal(["cache", "postgres"], worker.DependsOn);
        Assert.Contains(workloads, w => w.Name == "aspire-dashboard");
    }
}
