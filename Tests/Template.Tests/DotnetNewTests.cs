using System.Reflection;
using Observability.TestInfrastructure.Processes;

namespace Observability.Template.Tests;

/// <summary>
/// The repository is a <c>dotnet new</c> template (.template.config/template.json): a user's name replaces the
/// project's own everywhere, and what comes out builds. This project tests the template itself, so it is not part of
/// the solution or of the template's output: eng/test.sh runs it where the manifest exists.
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
    public async Task DotnetNew_WithName_RenamesEverythingAndBuilds()
    {
        var work = Directory.CreateTempSubdirectory("template-test-");
        try
        {
            var hive = Path.Combine(work.FullName, "hive");
            var output = Path.Combine(work.FullName, "shop");
            await DotnetAsync(["new", "install", RepositoryRoot, "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(2));
            await DotnetAsync(["new", "observability", "-n", ProjectName, "-o", output, "--debug:custom-hive", hive], work.FullName, TimeSpan.FromMinutes(2));

            Assert.True(File.Exists(Path.Combine(output, $"{ProjectName}.sln")), "the solution was not renamed");
            Assert.True(File.Exists(Path.Combine(output, ".ci", "run")), "dot-folders are part of the template");
            Assert.False(Directory.Exists(Path.Combine(output, "artifacts")), "build output must not be copied");
            Assert.False(Directory.Exists(Path.Combine(output, ".template.config")), "the manifest is not copied");
            Assert.False(Directory.Exists(Path.Combine(output, "Tests", "Template.Tests")), "the template's own test is not copied");
            var leftovers = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Where(file => File.ReadAllText(file).Contains(TemplateWord, StringComparison.Ordinal))
                .ToList();
            Assert.True(leftovers.Count == 0, "still named after the template: " + string.Join(", ", leftovers));
            Assert.Contains($"<RootNamespace>{ProjectName}.ServiceDefaults</RootNamespace>",
                await File.ReadAllTextAsync(Path.Combine(output, "ServiceDefaults", "ServiceDefaults.csproj"), TestContext.Current.CancellationToken),
                StringComparison.Ordinal);

            // The shared library every service builds on compiles under the new name with the strict build settings.
            await DotnetAsync(["build", Path.Combine(output, "ServiceDefaults", "ServiceDefaults.csproj"), "-c", "Release", "-warnaserror"], output, TimeSpan.FromMinutes(5));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static Task DotnetAsync(string[] arguments, string workingDirectory, TimeSpan timeout) =>
        ServerProcess.RunToCompletionAsync("dotnet", arguments, workingDirectory, runAsUser: null, timeout);
}
