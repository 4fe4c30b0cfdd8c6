using System.Text.Json.Nodes;

namespace Observability.Deploy.Tests;

/// <summary>infra/ compiled and linted by the Bicep CLI (what 'azd provision' deploys).</summary>
[Trait("Category", "Integration")]
public sealed class BicepTests
{
    [Fact]
    public async Task BicepBuild_Main_CompilesWithoutDiagnostics()
    {
        var result = (await Tool.RunAsync(Repository.BicepPath, ["build", "main.bicep", "--stdout"], Repository.Infra())).EnsureSuccess("bicep build");

        Assert.True(result.Error.Trim().Length == 0, "bicep build diagnostics:\n" + result.Error);
        var template = JsonNode.Parse(result.Output)!;
        foreach (var secret in new[] { "eventTicketKey", "cachePassword", "postgresPassword" })
        {
            Assert.Equal("securestring", template["parameters"]![secret]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task BicepLint_Main_HasNoWarnings()
    {
        var result = (await Tool.RunAsync(Repository.BicepPath, ["lint", "main.bicep"], Repository.Infra())).EnsureSuccess("bicep lint");

        Assert.True((result.Output + result.Error).Trim().Length == 0, "bicep lint:\n" + result.Output + result.Error);
    }

    /// <summary>The compiled template of main.bicep.</summary>
    internal static async Task<string> BuildAsync() =>
        (await Tool.RunAsync(Repository.BicepPath, ["build", "main.bicep", "--stdout"], Repository.Infra())).EnsureSuccess("bicep build").Output;
}
