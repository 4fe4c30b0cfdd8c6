using System.Text.RegularExpressions;

namespace Observability.Monitoring.Tests.Live;

/// <summary>
/// The metric names a PromQL expression selects: identifiers that are not functions, keywords, label names (inside
/// <c>{...}</c> or a <c>by</c>/<c>without</c>/<c>on</c>/<c>ignoring</c>/<c>group_*</c> list), strings or durations.
/// Prometheus 2.42 has no parse endpoint; the expression's validity itself is proven by evaluating it.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = Strings().Replace(expr, "\"\"");
        text = Matchers().Replace(text, string.Empty);
        text = Ranges().Replace(text, string.Empty);
        text = Grouping().Replace(text, string.Empty);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var rest = text[(match.Index + match.Length)..].TrimStart();
            if (!Keywords.Contains(match.Value) && !rest.StartsWith('('))
            {
                names.Add(match.Value);
            }
        }

        return names;
    }

    /// <summary>Grafana's interval macros replaced by a fixed window, as Grafana does before it sends a query.</summary>
    public static string ForPrometheus(string expr) =>
        expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__interval", "15s", StringComparison.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
