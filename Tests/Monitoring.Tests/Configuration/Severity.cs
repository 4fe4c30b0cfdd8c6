namespace Observability.Monitoring.Tests.Configuration;

/// <summary>The severities of the matrix in docs/monitoring.md and the Alertmanager receiver each routes to.</summary>
internal static class Severity
{
    public static readonly IReadOnlyDictionary<string, string> Receivers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["critical"] = "critical",
        ["high"] = "high",
        ["medium"] = "email",
        ["low"] = "email-digest",
    };

    public static readonly IReadOnlySet<string> Teams = new HashSet<string>(StringComparer.Ordinal) { "backend", "ai", "platform" };
}
