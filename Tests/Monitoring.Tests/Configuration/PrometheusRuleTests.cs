using YamlDotNet.RepresentationModel;

namespace Observability.Monitoring.Tests.Configuration;

/// <summary>The Prometheus configuration and rules, checked by the real promtool (Debian package <c>prometheus</c>).</summary>
public sealed class PrometheusRuleTests
{
    [Fact]
    public async Task CheckConfig_PrometheusYml_IsValid()
    {
        var (exitCode, output) = await Tool.RunAsync("promtool", MonitoringFiles.PrometheusFolder, TestContext.Current.CancellationToken, "check", "config", "prometheus.yml");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {MonitoringFiles.RuleFiles.Count} rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckRules_EveryRuleFile_IsValid()
    {
        var (exitCode, output) = await Tool.RunAsync(
            "promtool", MonitoringFiles.PrometheusFolder, TestContext.Current.CancellationToken, ["check", "rules", .. MonitoringFiles.RuleFiles]);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task TestRules_UnitTests_Pass()
    {
        var (exitCode, output) = await Tool.RunAsync(
            "promtool", MonitoringFiles.PrometheusFolder, TestContext.Current.CancellationToken, ["test", "rules", .. MonitoringFiles.RuleTestFiles]);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TestRules_EveryAlert_HasAFiringAndANonFiringCase()
    {
        var firing = new HashSet<string>(StringComparer.Ordinal);
        var silent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in MonitoringFiles.RuleTestFiles)
        {
            foreach (var test in MonitoringFiles.Children(MonitoringFiles.Load(file), "tests").Cast<YamlMappingNode>())
            {
                foreach (var check in MonitoringFiles.Children(test, "alert_rule_test").Cast<YamlMappingNode>())
                {
                    var name = MonitoringFiles.Scalar(check, "alertname")!;
                    var expected = MonitoringFiles.Children(check, "exp_alerts").Count();
                    (expected > 0 ? firing : silent).Add(name);
                }
            }
        }

        var alerts = MonitoringFiles.Rules().Where(r => r.Alert is not null).Select(r => r.Alert!).ToArray();
        Assert.NotEmpty(alerts);
        Assert.Empty(alerts.Except(firing));
        Assert.Empty(alerts.Except(silent));
    }

    [Fact]
    public void Alerts_EveryRule_HasSeverityTeamSummaryDescriptionAndRunbook()
    {
        var alerts = MonitoringFiles.Rules().Where(r => r.Alert is not null).ToArray();
        var matrix = File.ReadAllText(Path.Combine(MonitoringFiles.Root, "docs", "monitoring.md"));

        Assert.Equal(alerts.Length, alerts.Select(a => a.Alert).Distinct(StringComparer.Ordinal).Count());
        foreach (var alert in alerts)
        {
            Assert.True(alert.Labels.TryGetValue("severity", out var severity) && Severity.Receivers.ContainsKey(severity), $"{alert.Name}: severity '{severity}'");
            Assert.True(alert.Labels.TryGetValue("team", out var team) && Severity.Teams.Contains(team), $"{alert.Name}: team '{team}'");
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault("summary")), $"{alert.Name}: summary");
            Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault("description")), $"{alert.Name}: description");
            var runbook = alert.Annotations.GetValueOrDefault("runbook_url") ?? string.Empty;
            var path = Path.Combine(MonitoringFiles.Root, runbook);
            Assert.True(runbook.StartsWith("docs/runbooks/", StringComparison.Ordinal) && File.Exists(path), $"{alert.Name}: runbook '{runbook}'");
            var text = File.ReadAllText(path);
            Assert.Contains($"# {alert.Name}", text, StringComparison.Ordinal);
            foreach (var section in (string[])["## Symptom", "## Impact", "## Diagnosis", "## Mitigation", "## Escalation"])
            {
                Assert.Contains(section, text, StringComparison.Ordinal);
            }

            Assert.Contains($"`{alert.Name}`", matrix, StringComparison.Ordinal);
        }
    }
}
