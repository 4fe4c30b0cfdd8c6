using System.Globalization;
using System.Text.RegularExpressions;

namespace Observability.Gateway.Benchmarks;

/// <summary>What one wrk run reports: requests, non-2xx answers, socket errors and latency percentiles.</summary>
internal sealed partial record WrkResult(long Requests, double Seconds, long Non2xx, string SocketErrors, TimeSpan P50, TimeSpan P90, TimeSpan P99, double CpuSeconds)
{
    public static WrkResult Parse(string output, double cpuSeconds)
    {
        var summary = SummaryPattern().Match(output);
        if (!summary.Success)
        {
            throw new InvalidOperationException($"wrk printed no summary:{Environment.NewLine}{output}");
        }

        var non2xx = Non2xxPattern().Match(output);
        var errors = SocketErrorsPattern().Match(output);
        return new WrkResult(
            long.Parse(summary.Groups["requests"].Value, CultureInfo.InvariantCulture),
            double.Parse(summary.Groups["seconds"].Value, CultureInfo.InvariantCulture) * Unit(summary.Groups["unit"].Value),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? errors.Groups[1].Value.Trim() : "none",
            Percentile(output, "50%"),
            Percentile(output, "90%"),
            Percentile(output, "99%"),
            cpuSeconds);
    }

    private static TimeSpan Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(label)}\s+(?<value>[\d.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline);
        return match.Success
            ? TimeSpan.FromSeconds(double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) * Unit(match.Groups["unit"].Value))
            : throw new InvalidOperationException($"wrk printed no {label} latency (run it with --latency):{Environment.NewLine}{output}");
    }

    private static double Unit(string unit) => unit switch
    {
        "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1,
        "m" => 60,
        _ => throw new InvalidOperationException($"Unknown wrk unit '{unit}'."),
    };

    [GeneratedRegex(@"(?<requests>\d+) requests in (?<seconds>[\d.]+)(?<unit>us|ms|s|m),")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: (.*)")]
    private static partial Regex SocketErrorsPattern();
}
