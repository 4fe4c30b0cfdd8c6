using System.Reflection;
using Observability.TestInfrastructure.Processes;

namespace Observability.Template.Tests;

/// <summary>
/// The repository is a <c>dotnet new</c> template (.template.config/template.json, also at the root as
/// dotnet-template.json): a user's name replaces the project's own everywhere, and what comes out builds and passes
/// its own unit tests. This project tests the template itself, so it is not part of the solution or of the template's
/// output: eng/test.sh runs it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DotnetNewTests
{
    private const string ProjectName = "Contoso.Shop";

    // Split so that instantiating the template does not rewrite it: the word the template replaces everywhere.
    private static readonly string TemplateWord = "Observ" + "ability";

    private static readonly string RepositoryRoot = typeof(DotnetNewTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public async Task DotnetNew_WithName_RenamesBuildsPassesItsUnitTestsAndUninstalls()
    {
        var work = Directory.CreateTempSubdirectory("template-test-");
        try
        {
            var hive = Path.Combine(work.FullName, "hive");
            var output = Path.Combine(work.FullName, "shop");
            await DotnetAsync(["new", "install", RepositoryRoot, "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(2));
            // The restore post-action runs here.
            await DotnetAsync(["new", "observability", "-n", ProjectName, "-o", output, "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(10));

            Assert.True(File.Exists(Path.Combine(output, $"{ProjectName}.sln")), "the solution was not renamed");
            Assert.True(File.Exists(Path.Combine(output, "artifacts", "obj", "ServiceDefaults", "project.assets.json")),
                "the restore post-action did not run");
            Assert.True(File.Exists(Path.Combine(output, ".ci", "run")), "dot-folders are part of the template");
            Assert.True(File.Exists(Path.Combine(output, "azure.yaml")), "the deployment artefacts are part of the template");
            Assert.False(Directory.Exists(Path.Combine(output, "artifacts", "bin")), "build output must not be copied");
            Assert.False(Directory.Exists(Path.Combine(output, ".template.config")), "the manifest is not copied");
            Assert.False(File.Exists(Path.Combine(output, "dotnet-template.json")), "the manifest is not copied");
            Assert.False(Directory.Exists(Path.Combine(output, "Tests", "Template.Tests")), "the template's own test is not copied");
            var leftovers = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Where(file => !file.StartsWith(Path.Combine(output, "artifacts"), StringComparison.Ordinal))
                .Where(file => File.ReadAllText(file).Contains(TemplateWord, StringComparison.OrdinalIgnoreCase))
                .ToList();
            Assert.True(leftovers.Count == 0, "still named after the template: " + string.Join(", ", leftovers));
            Assert.Contains($"<RootNamespace>{ProjectName}.ServiceDefaults</RootNamespace>",
                await File.ReadAllTextAsync(Path.Combine(output, "ServiceDefaults", "ServiceDefaults.csproj"), TestContext.Current.CancellationToken),
                StringComparison.Ordinal);
            // The template engine evaluates MSBuild Condition attributes it can read; the build's own targets must
            // come out byte for byte (copyOnly), or the [LoggerMessage] generator fix and the ReadyToRun step in them
            // lose lines (CS0757; IL left in the build output).
            foreach (var targets in new[] { "Directory.Build.targets", Path.Combine("eng", "ReadyToRun.targets") })
            {
                Assert.Equal(
                    await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, targets), TestContext.Current.CancellationToken),
                    await File.ReadAllTextAsync(Path.Combine(output, targets), TestContext.Current.CancellationToken));
            }
            Assert.Contains("image: contoso.shop-gateway",
                await File.ReadAllTextAsync(Path.Combine(output, "deploy", "kubernetes", "gateway.yaml"), TestContext.Current.CancellationToken),
                StringComparison.Ordinal);

            // The whole application builds under the new name with the strict settings, and its unit tests pass
            // (the deploy tests among them check that the renamed deployment artefacts still match the generator).
            var solution = Path.Combine(output, $"{ProjectName}.sln");
            await DotnetAsync(["build", solution, "-c", "Release", "-warnaserror"], output, TimeSpan.FromMinutes(40));
            await DotnetAsync(["test", solution, "-c", "Release", "--no-build", "--filter", "Category!=Integration"], output, TimeSpan.FromMinutes(30));

            await DotnetAsync(["new", "uninstall", RepositoryRoot, "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(2));
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                DotnetAsync(["new", "observability", "-n", "Gone", "-o", Path.Combine(work.FullName, "gone"), "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(2)));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DotnetNew_WithParameters_SetsTheProviderAndSampleTrafficDefaults()
    {
        var work = Directory.CreateTempSubdirectory("template-test-");
        try
        {
            var hive = Path.Combine(work.FullName, "hive");
            var output = Path.Combine(work.FullName, "shop");
            await DotnetAsync(["new", "install", RepositoryRoot, "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(2));
            await DotnetAsync(
                ["new", "observability", "-n", ProjectName, "-o", output, "--llm-provider", "OpenAICompatible", "--sample-traffic", "true", "--no-restore", "--debug:custom-hive", hive],
                work.FullName,
                TimeSpan.FromMinutes(2));

            var worker = await File.ReadAllTextAsync(Path.Combine(output, "Worker", "appsettings.json"), TestContext.Current.CancellationToken);
            Assert.Contains("\"Provider\": \"OpenAICompatible\"", worker, StringComparison.Ordinal);
            var appHost = await File.ReadAllTextAsync(Path.Combine(output, "AppHost", "Program.cs"), TestContext.Current.CancellationToken);
            Assert.Contains("GetValue(\"AppHost:SampleTraffic\", defaultValue: true)", appHost, StringComparison.Ordinal);
            // Only the provider setting changes: the simulated provider stays available.
            Assert.Contains("Simulated,", await File.ReadAllTextAsync(Path.Combine(output, "Worker", "Llm", "LlmProviderKind.cs"), TestContext.Current.CancellationToken),
                StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(output, "artifacts")), "--no-restore still restored");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void DotnetTemplateJson_AtTheRoot_IsTheManifestTheEngineReads()
    {
        var root = new FileInfo(Path.Combine(RepositoryRoot, "dotnet-template.json"));

        // A link, not a copy: one file to edit, nothing to drift.
        Assert.Equal(Path.Combine(".template.config", "template.json"), root.LinkTarget);
        Assert.Equal(
            File.ReadAllText(Path.Combine(RepositoryRoot, ".template.config", "template.json")),
            File.ReadAllText(root.FullName));
    }

    private static Task DotnetAsync(string[] arguments, string workingDirectory, TimeSpan timeout) =>
        ServerProcess.RunToCompletionAsync("dotnet", arguments, workingDirectory, runAsUser: null, timeout);
}
