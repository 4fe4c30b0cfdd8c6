using YamlDotNet.RepresentationModel;

namespace Observability.Deploy.Tests;

/// <summary>deploy/compose/compose.yaml checked by docker-compose itself ('config' validates and resolves it).</summary>
[Trait("Category", "Integration")]
public sealed class ComposeTests
{
    [Fact]
    public async Task ComposeConfig_WithEveryParameter_IsValidAndResolvesThem()
    {
        var copy = GeneratedArtefacts.CopyWithParameters("compose", name => $"test-{name.ToLowerInvariant()}");
        try
        {
            var result = (await ConfigAsync(copy.FullName)).EnsureSuccess("docker-compose config");

            var services = (YamlMappingNode)Load(result.Output)["services"];
            var gateway = (YamlMappingNode)((YamlMappingNode)services["gateway"])["environment"];
            Assert.Equal("test-event_ticket_key", gateway["EventTickets__SigningKey"].ToString());
            Assert.Equal("cache:6379,password=test-cache_password", gateway["ConnectionStrings__cache"].ToString());
            var worker = (YamlMappingNode)services["worker"];
            Assert.Equal("2", ((YamlMappingNode)worker["deploy"])["replicas"].ToString());
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ComposeConfig_WithoutTheParameters_RefusesAndNamesThem()
    {
        var copy = GeneratedArtefacts.CopyWithParameters("compose", _ => "unused");
        try
        {
            File.Delete(Path.Combine(copy.FullName, ".env"));

            var result = await ConfigAsync(copy.FullName);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Matches(@"set [A-Z_]+ in \.env", result.Error);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static Task<ToolResult> ConfigAsync(string folder) =>
        Tool.RunAsync("docker-compose", ["-f", Path.Combine(folder, "compose.yaml"), "config"], folder);

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
