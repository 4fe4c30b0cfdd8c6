using System.Diagnostics;
using System.Text.Json;

namespace Observability.AppHost.Tests;

/// <summary>
/// The manifest azd reads (<c>--publisher manifest</c>): every resource, Aspire's Redis and PostgreSQL containers (never
/// the local executables), every variable the services read, and secrets only as parameters.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ManifestTests
{
    [Fact]
    public async Task PublishManifest_ListsEveryResourceAndVariable_ContainersForTheServers_SecretsOnlyAsParameters()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var output = new TemporaryDirectory("manifest");
        var path = Path.Combine(output.Path, "aspire-manifest.json");

        var start = new ProcessStartInfo("dotnet", [typeof(Projects.AppHost).Assembly.Location, "--publisher", "manifest", "--output-path", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // As in a machine where no engine answers: publishing must still describe containers.
            Environment = { ["AppHost__Servers"] = "local", ["DOTNET_ENVIRONMENT"] = "Production" },
        };
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync(cts.Token);
        var errors = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"{await log}{await errors}");

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path, cts.Token));
        var resources = manifest.RootElement.GetProperty("resources");
        string Type(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;
        Assert.Equal("container.v0", Type("cache"));
        Assert.Equal("container.v0", Type("postgres"));
        Assert.Equal("value.v0", Type("workflows"));
        Assert.Equal("project.v0", Type("gateway"));
        Assert.Equal("project.v0", Type("worker"));
        Assert.Equal("project.v0", Type("websockethub"));
        Assert.DoesNotContain(resources.EnumerateObject(), r => r.Value.GetProperty("type").GetString() == "executable.v0");

        string[] secrets = ["cache-password", "postgres-password", "event-ticket-key"];
        foreach (var secret in secrets)
        {
            Assert.Equal("parameter.v0", Type(secret));
            Assert.True(resources.GetProperty(secret).GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), secret);
        }

        AssertVariables(resources, "gateway", "ConnectionStrings__cache", "ConnectionStrings__workflows", "EventTickets__SigningKey", "services__websockethub__http__0");
        AssertVariables(resources, "worker", "ConnectionStrings__cache", "ConnectionStrings__workflows");
        AssertVariables(resources, "websockethub", "ConnectionStrings__cache", "ConnectionStrings__workflows", "EventTickets__SigningKey");
        Assert.False(Env(resources, "worker").TryGetProperty("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", out _), "Prompt capture is for local runs only.");
        Assert.Equal("{event-ticket-key.value}", Env(resources, "gateway").GetProperty("EventTickets__SigningKey").GetString());

        // Passwords appear only as parameter references ({cache-password.value}), never as values.
        var text = manifest.RootElement.GetRawText();
        var passwords = text.Split("password=", StringSplitOptions.None).Skip(1).ToList();
        Assert.NotEmpty(passwords);
        Assert.All(passwords, rest => Assert.StartsWith("{", rest, StringComparison.Ordinal));
    }

    private static JsonElement Env(JsonElement resources, string name) => resources.GetProperty(name).GetProperty("env");

    private static void AssertVariables(JsonElement resources, string name, params string[] variables)
    {
        var env = Env(resources, name);
        foreach (var variable in variables)
        {
            Assert.True(env.TryGetProperty(variable, out var value), $"{name} lacks {variable}: {env}");
            Assert.StartsWith("{", value.GetString(), StringComparison.Ordinal);
        }

        Assert.True(env.TryGetProperty("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", out _), $"{name} lacks the OTEL_* variables: {env}");
    }
}
