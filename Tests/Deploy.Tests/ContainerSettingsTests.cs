using System.Text.Json.Nodes;

namespace Observability.Deploy.Tests;

/// <summary>
/// The container image each service publishes ('dotnet publish -t:PublishContainer'), as the SDK computes it
/// (target ComputeContainerConfig: no container engine or registry needed). Building the image itself needs both.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ContainerSettingsTests
{
    public static TheoryData<string, string> Services => new()
    {
        { "Gateway", "gateway" },
        { "Worker", "worker" },
        { "WebSocketHub", "websockethub" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task ComputeContainerConfig_Service_IsTheImageTheDeploymentsRun(string project, string resource)
    {
        var result = (await Tool.RunAsync(
            "dotnet",
            ["msbuild", Path.Combine(Repository.Root, project, $"{project}.csproj"), "-t:ComputeContainerConfig", "-p:Configuration=Release",
             "-getProperty:ContainerRepository", "-getProperty:ContainerUser", "-getProperty:ContainerBaseImage",
             "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariables"],
            Repository.Root)).EnsureSuccess("dotnet msbuild -t:ComputeContainerConfig");
        var config = JsonNode.Parse(result.Output)!;
        var properties = config["Properties"]!;

        var repository = properties["ContainerRepository"]!.GetValue<string>();
        Assert.Equal("app", properties["ContainerUser"]!.GetValue<string>());
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", properties["ContainerBaseImage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("8080", Assert.Single(config["Items"]!["ContainerPort"]!.AsArray())!["Identity"]!.GetValue<string>());
        Assert.Contains(config["Items"]!["ContainerEnvironmentVariables"]!.AsArray(),
            v => v!["Identity"]!.GetValue<string>() == "HTTP_PORTS" && v["Value"]!.GetValue<string>() == "8080");

        // The same image name in every deployment artefact.
        Assert.Contains($"image: {repository}\n", Repository.Read(Repository.Deploy("kubernetes", $"{resource}.yaml")), StringComparison.Ordinal);
        Assert.Contains($"image: {repository}:${{IMAGE_TAG:-latest}}", Repository.Read(Repository.Deploy("compose", "compose.yaml")), StringComparison.Ordinal);
    }
}
