namespace Observability.Monitoring.Tests.Configuration;

/// <summary>The Alertmanager configuration, rendered as a deployment renders it, checked by the real amtool.</summary>
public sealed class AlertmanagerConfigTests
{
    [Fact]
    public async Task CheckConfig_Rendered_IsValid()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = await RenderAsync(ct);

        var (exitCode, output) = await Tool.RunAsync("amtool", Path.GetDirectoryName(file)!, ct, "check-config", file);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_EveryPlaceholder_IsDocumentedInTheHeader()
    {
        var template = File.ReadAllText(MonitoringFiles.AlertmanagerConfig);
        var header = string.Join('\n', template.Split('\n').TakeWhile(line => line.StartsWith('#')));

        var placeholders = AlertmanagerTemplate.Placeholders(template);

        Assert.Equal(AlertmanagerTemplate.TestValues().Keys.Order(StringComparer.Ordinal), placeholders.Order(StringComparer.Ordinal));
        Assert.All(placeholders, name => Assert.Contains(name, header, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("critical")]
    [InlineData("high")]
    [InlineData("medium")]
    [InlineData("low")]
    public async Task Routes_Severity_ReachesTheReceiverOfTheMatrix(string severity)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = await RenderAsync(ct);

        var (exitCode, output) = await Tool.RunAsync(
            "amtool", Path.GetDirectoryName(file)!, ct, "config", "routes", "test", "--config.file", file, "alertname=Any", "job=gateway", $"severity={severity}");

        Assert.True(exitCode == 0, output);
        // The receiver's name is the first line of stdout; amtool's warnings (no --alertmanager.url) follow on stderr.
        Assert.Equal(Severity.Receivers[severity], output.Split('\n')[0].Trim());
    }

    private static async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("alertmanager-config-");
        var file = Path.Combine(directory.FullName, "alertmanager.yml");
        var template = await File.ReadAllTextAsync(MonitoringFiles.AlertmanagerConfig, cancellationToken);
        await File.WriteAllTextAsync(file, AlertmanagerTemplate.Render(template, AlertmanagerTemplate.TestValues()), cancellationToken);
        return file;
    }
}
