using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Observability.AppHost.Monitoring;

/// <summary>
/// The repository's monitoring/ folder (beside the AppHost project) and the copies made of it for one run: Prometheus'
/// <c>prometheus.yml</c> and rules with an empty <c>targets/</c> tree for file-based discovery, and Alertmanager's
/// configuration with its <c>${VARIABLES}</c> substituted as <c>envsubst</c> would.
/// </summary>
internal static partial class MonitoringFiles
{
    /// <summary>Folders of <c>targets/</c> that monitoring/prometheus/prometheus.yml reads.</summary>
    public static readonly string[] TargetFolders = ["services", "infrastructure", "monitoring", "alertmanager"];

    /// <summary>
    /// What an unset receiver variable becomes in a local run: addresses that refuse connections (port 1), so the
    /// configuration is valid and Alertmanager shows every alert in its UI, while notifying nobody.
    /// </summary>
    private static readonly Dictionary<string, string> Unconfigured = new(StringComparer.Ordinal)
    {
        ["PAGERDUTY_ROUTING_KEY"] = "unconfigured",
        ["PAGERDUTY_URL"] = "http://127.0.0.1:1/pagerduty",
        ["SLACK_WEBHOOK_URL"] = "http://127.0.0.1:1/slack",
        ["SLACK_CHANNEL"] = "#alerts",
        ["TEAMS_WEBHOOK_URL"] = "http://127.0.0.1:1/teams",
        ["SMTP_SMARTHOST"] = "127.0.0.1:1",
        ["SMTP_FROM"] = "alerts@localhost.localdomain",
        ["SMTP_AUTH_USERNAME"] = "unconfigured",
        ["SMTP_AUTH_PASSWORD"] = "unconfigured",
        ["ALERT_EMAIL_TO"] = "oncall@localhost.localdomain",
    };

    /// <summary>monitoring/ beside the AppHost project.</summary>
    public static string Root(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "monitoring"));

    /// <summary>Copies prometheus.yml and the rule files into <paramref name="destination"/> and creates the targets tree.</summary>
    public static void CopyPrometheusConfiguration(string monitoringRoot, string destination)
    {
        var source = Path.Combine(monitoringRoot, "prometheus");
        Directory.CreateDirectory(Path.Combine(destination, "rules"));
        File.Copy(Path.Combine(source, "prometheus.yml"), Path.Combine(destination, "prometheus.yml"), overwrite: true);
        foreach (var rules in Directory.EnumerateFiles(Path.Combine(source, "rules"), "*.yml"))
        {
            File.Copy(rules, Path.Combine(destination, "rules", Path.GetFileName(rules)), overwrite: true);
        }

        foreach (var folder in TargetFolders)
        {
            Directory.CreateDirectory(Path.Combine(destination, "targets", folder));
        }
    }

    /// <summary>
    /// Writes monitoring/alertmanager/alertmanager.yml to <paramref name="destination"/> with every <c>${NAME}</c>
    /// replaced by the configuration's (the environment's) <c>NAME</c>; returns the names that had no value and got
    /// their inert local default.
    /// </summary>
    public static IReadOnlyList<string> RenderAlertmanagerConfiguration(string monitoringRoot, string destination, IConfiguration configuration)
    {
        var template = File.ReadAllText(Path.Combine(monitoringRoot, "alertmanager", "alertmanager.yml"));
        var unset = new List<string>();
        var rendered = Placeholder().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            if (configuration[name] is { Length: > 0 } value)
            {
                return value;
            }

            unset.Add(name);
            return Unconfigured.TryGetValue(name, out var inert)
                ? inert
                : throw new InvalidOperationException($"monitoring/alertmanager/alertmanager.yml uses ${{{name}}}: set the environment variable {name}.");
        });
        Directory.CreateDirectory(destination);
        WriteAtomically(Path.Combine(destination, "alertmanager.yml"), rendered);
        return [.. unset.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Write then rename, so a watching Prometheus never reads half a file.</summary>
    public static void WriteAtomically(string path, string contents)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
