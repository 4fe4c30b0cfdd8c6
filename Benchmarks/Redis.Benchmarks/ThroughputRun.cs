using System.Diagnostics;

namespace Observability.Redis.Benchmarks;

/// <summary>
/// Runs one operation from N concurrent callers for a fixed time and counts completions and allocated bytes. The
/// operation is awaited directly in each caller's loop, so the harness itself allocates nothing per operation.
/// </summary>
internal static class ThroughputRun
{
    public static async Task<(double OpsPerSecond, double BytesPerOp)> MeasureAsync<T>(Func<ValueTask<T>> operation, int callers, TimeSpan duration)
    {
        // Warm up: fills the command pool and JIT-compiles the path.
        await RunAsync(operation, callers, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var operations = await RunAsync(operation, callers, duration).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (operations / elapsed.TotalSeconds, (double)allocated / operations);
    }

    private static async Task<long> RunAsync<T>(Func<ValueTask<T>> operation, int callers, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<long>[callers];
        for (var i = 0; i < callers; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                long count = 0;
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    // Check the clock every 64 operations only; reading it is not free.
                    for (var j = 0; j < 64; j++)
                    {
                        await operation().ConfigureAwait(false);
                    }

                    count += 64;
                }

                return count;
            });
        }

        long total = 0;
        foreach (var count in await Task.WhenAll(workers).ConfigureAwait(false))
        {
            total += count;
        }

        return total;
    }
}
