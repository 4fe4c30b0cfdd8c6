using System.Text.RegularExpressions;

namespace Observability.Monitoring.Tests.Configuration;

/// <summary>
/// Renders monitoring/alertmanager/alertmanager.yml as <c>envsubst</c> does in a deployment: every <c>${NAME}</c>
/// replaced by its value; a placeholder without a value is an error rather than an empty string.
/// </summary>
internal static partial class AlertmanagerTemplate
{
    /// <summary>Values for every receiver endpoint, pointing nowhere (port 1 refuses connections) unless overridden.</summary>
    public static Dictionary<string, string> TestValues() => new(StringComparer.Ordinal)
    {
        ["PAGERDUTY_ROUTING_KEY"] = "0123456789abcdef0123456789abcdef",
        ["PAGERDUTY_URL"] = "http://127.0.0.1:1/pagerduty",
        ["SLACK_WEBHOOK_URL"] = "http://127.0.0.1:1/slack",
        ["SLACK_CHANNEL"] = "#alerts",
        ["TEAMS_WEBHOOK_URL"] = "http://127.0.0.1:1/teams",
        ["SMTP_SMARTHOST"] = "127.0.0.1:1",
        ["SMTP_FROM"] = "alerts@example.com",
        ["SMTP_AUTH_USERNAME"] = "alerts",
        ["SMTP_AUTH_PASSWORD"] = "not-a-secret",
        ["ALERT_EMAIL_TO"] = "oncall@example.com",
    };

    public static IReadOnlyList<string> Placeholders(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();

    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"No value for ${{{m.Groups[1].Value}}}."));

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
