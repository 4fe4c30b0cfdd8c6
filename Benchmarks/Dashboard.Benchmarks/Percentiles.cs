using System.Diagnostics;

namespace Observability.Dashboard.Benchmarks;

/// <summary>Times an action many times and reports p50/p99 in milliseconds.</summary>
internal static class Percentiles
{
    public static string Measure(int iterations, Action<int> action)
    {
        for (var i = 0; i < Math.Min(iterations, 50); i++)
        {
            action(i);
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return $"p50 {samples[iterations / 2]:F3} ms, p99 {samples[(int)(iterations * 0.99)]:F3} ms, max {samples[^1]:F3} ms";
    }
}
