using System.Globalization;
using System.Text.Json;

namespace Observability.ServiceDefaults.Tests.Logging;

/// <summary>The real console output of a real process wired by AddStructuredLogging.</summary>
[Trait("Category", "Integration")]
public sealed class ConsoleOutputTests
{
    private const string Category = "Observability.TestApp.Planted";

    private static readonly string[] PlantedSecrets =
    [
        "S3cr3t-Pa55w0rd", "mF_9.B5f-4.1JqM", "jane.doe@example.com", "4111 1111 1111 1111", "ak-live-7f3a9c2e1b",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    ];

    [Fact]
    public async Task AddStructuredLogging_Production_WritesOneMaskedJsonObjectPerLine()
    {
        var (stdout, stderr) = await TestAppProcess.RunAsync(["--environment", "Production"], TestContext.Current.CancellationToken);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        foreach (var secret in PlantedSecrets)
        {
            Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        }

        using var connecting = JsonDocument.Parse(lines[0]);
        using var failed = JsonDocument.Parse(lines[1]);
        var first = connecting.RootElement;
        var second = failed.RootElement;

        AssertTimestamp(first);
        Assert.Equal("Information", first.GetProperty("level").GetString());
        Assert.Equal(Category, first.GetProperty("category").GetString());
        Assert.Equal(1, first.GetProperty("event_id").GetInt32());
        Assert.Equal("Connecting with Host=db;Username=app;Password=***;Database=orders", first.GetProperty("message").GetString());
        Assert.Equal("Host=db;Username=app;Password=***;Database=orders", first.GetProperty("state").GetProperty("Target").GetString());
        Assert.False(first.TryGetProperty("trace_id", out _));
        Assert.False(first.TryGetProperty("correlation_id", out _));
        Assert.False(first.TryGetProperty("exception", out _));

        var ids = stderr.Split(' ', '\n', '\r').SkipWhile(part => part != "activity").ToArray();
        AssertTimestamp(second);
        Assert.Equal("Error", second.GetProperty("level").GetString());
        Assert.Equal(ids[1], second.GetProperty("trace_id").GetString());
        Assert.Equal(ids[2], second.GetProperty("span_id").GetString());
        Assert.Equal("corr-4711", second.GetProperty("correlation_id").GetString());
        Assert.Equal("Payment with card *** failed (api_key ***, token ***, attempt 42)", second.GetProperty("message").GetString());

        var state = second.GetProperty("state");
        Assert.Equal("***", state.GetProperty("Card").GetString());
        Assert.Equal("***", state.GetProperty("api_key").GetString());
        Assert.Equal("***", state.GetProperty("Jwt").GetString());
        Assert.Equal(42, state.GetProperty("Attempt").GetInt32());

        var exception = second.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("type").GetString());
        Assert.Equal("Authorization 'Bearer ***' rejected for ***@***", exception.GetProperty("message").GetString());
        Assert.StartsWith("System.InvalidOperationException: Authorization 'Bearer ***'", exception.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);

        var scope = second.GetProperty("scopes").EnumerateArray().Single(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("tenant", out _));
        Assert.Equal("t-1", scope.GetProperty("tenant").GetString());
        Assert.Equal("***", scope.GetProperty("password").GetString());
    }

    [Fact]
    public async Task AddStructuredLogging_Development_WritesReadableMaskedText()
    {
        var (stdout, _) = await TestAppProcess.RunAsync(["--environment", "Development"], TestContext.Current.CancellationToken);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.False(line.StartsWith('{'), line));
        var connecting = Assert.Single(lines, line => line.Contains("Connecting with", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info Observability\.TestApp\.Planted\[1\] Connecting with .*Password=\*\*\*", connecting);
        foreach (var secret in PlantedSecrets)
        {
            Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddStructuredLogging_FormatterNameConfigured_ConfigurationWins()
    {
        var (stdout, _) = await TestAppProcess.RunAsync(
            ["--environment", "Production", "--Logging:Console:FormatterName=systemd"], TestContext.Current.CancellationToken);

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.False(line.StartsWith('{'), line));
        Assert.Contains(lines, line => line.StartsWith("<6>Observability.TestApp.Planted[1] Connecting with", StringComparison.Ordinal));
    }

    private static void AssertTimestamp(JsonElement entry)
    {
        var text = entry.GetProperty("timestamp").GetString();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$", text);
        var timestamp = DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
