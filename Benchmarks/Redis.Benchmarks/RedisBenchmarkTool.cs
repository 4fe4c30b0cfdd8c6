using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Observability.Redis.Benchmarks;

/// <summary>Runs the stock <c>redis-benchmark</c> against the same server and reads its requests per second.</summary>
internal static partial class RedisBenchmarkTool
{
    public static async Task<double> RunAsync(int port, int clients, int requests, params string[] command)
    {
        var start = new ProcessStartInfo("redis-benchmark") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-p", port.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "-q", .. command])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start.");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        // -q prints lines such as "GET: 123456.79 requests per second, p50=0.191 msec"; progress uses '\r'.
        var matches = RequestsPerSecond().Matches(output);
        return matches.Count == 0
            ? throw new InvalidOperationException($"Unexpected redis-benchmark output: {output}")
            : double.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?) requests per second")]
    private static partial Regex RequestsPerSecond();
}
