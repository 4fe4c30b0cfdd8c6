namespace Observability.Deploy.Tests;

/// <summary>
/// The manifest the deployment artefacts are generated from (<c>Fixtures/aspire-manifest.json</c>) is exactly what the
/// AppHost publishes today: a change to the model that is not carried into the fixture (and so into the Kubernetes and
/// Compose files and the drift checks) fails here.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ManifestFixtureTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Fixture_IsTheManifestTheAppHostPublishes()
    {
        // Three folders deep under the repository, like Tests/Deploy.Tests/Fixtures, so the projects' relative paths match.
        var output = Path.Combine(Repository.Root, "artifacts", "deploy-tests", Guid.NewGuid().ToString("N"), "aspire-manifest.json");
        try
        {
            (await Tool.RunAsync(
                "dotnet",
                ["run", "--no-build", "-c", Configuration, "--project", Path.Combine(Repository.Root, "AppHost"), "--", "--publisher", "manifest", "--output-path", output],
                Repository.Root)).EnsureSuccess("The AppHost's manifest publisher");
            Assert.Equal(Repository.Read(Repository.FixtureManifestPath), Repository.Read(output));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }
}
