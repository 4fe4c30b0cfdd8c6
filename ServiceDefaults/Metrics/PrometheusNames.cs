using System.Collections.Frozen;
using System.Text;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>
/// Name rules of the OpenTelemetry-to-Prometheus compatibility specification: sanitizing metric and label
/// names, and the UCUM unit to Prometheus unit-suffix mapping.
/// </summary>
internal static class PrometheusNames
{
    private static readonly FrozenDictionary<string, string> Units = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> PerUnits = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A metric name matching <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, with runs of underscores collapsed.</summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A label name matching <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, with runs of underscores collapsed.</summary>
    public static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>
    /// The Prometheus suffix for a UCUM unit (<c>s</c> → <c>seconds</c>, <c>By/s</c> → <c>bytes_per_second</c>),
    /// empty when there is none: no unit, only <c>{annotations}</c>, or <c>1</c> on anything but a gauge
    /// (where it becomes <c>ratio</c>).
    /// </summary>
    public static string UnitSuffix(string? unit, bool isGauge)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        var cleaned = RemoveAnnotations(unit).Trim();
        if (cleaned.Length == 0)
        {
            return string.Empty;
        }

        if (cleaned == "1")
        {
            return isGauge ? "ratio" : string.Empty;
        }

        var slash = cleaned.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return SanitizeUnit(Units.GetValueOrDefault(cleaned, cleaned));
        }

        var numerator = cleaned[..slash].Trim();
        var denominator = cleaned[(slash + 1)..].Trim();
        var first = numerator.Length == 0 || numerator == "1" ? string.Empty : Units.GetValueOrDefault(numerator, numerator);
        var second = denominator.Length == 0 ? string.Empty : PerUnits.GetValueOrDefault(denominator, denominator);
        return (first.Length, second.Length) switch
        {
            (0, 0) => string.Empty,
            (0, _) => SanitizeUnit("per_" + second),
            (_, 0) => SanitizeUnit(first),
            _ => SanitizeUnit(first + "_per_" + second),
        };
    }

    private static string RemoveAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string SanitizeUnit(string unit) => Sanitize(unit, allowColon: false).Trim('_');

    private static string Sanitize(string name, bool allowColon)
    {
        if (IsValid(name, allowColon))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        return builder.ToString();
    }

    private static bool IsValid(string name, bool allowColon)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        var previousUnderscore = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                if (previousUnderscore)
                {
                    return false;
                }

                previousUnderscore = true;
                continue;
            }

            previousUnderscore = false;
            if (!char.IsAsciiLetterOrDigit(c) && !(allowColon && c == ':'))
            {
                return false;
            }
        }

        return true;
    }
}
