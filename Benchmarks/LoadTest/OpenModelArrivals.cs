using System.Diagnostics;

namespace Observability.LoadTest;

/// <summary>What the arrival schedule did.</summary>
/// <param name="Arrivals">Submits started.</param>
/// <param name="StartTimestamp">Stopwatch timestamp of the first arrival.</param>
/// <param name="WarmupEndTimestamp">Timestamp after which arrivals count in the figures.</param>
/// <param name="EndTimestamp">Timestamp of the end of the schedule.</param>
/// <param name="MaxLag">The longest an arrival started after it was due (the scheduler's own delay).</param>
internal sealed record ArrivalSchedule(long Arrivals, long StartTimestamp, long WarmupEndTimestamp, long EndTimestamp, TimeSpan MaxLag);

/// <summary>
/// Open model: arrival <c>i</c> is due at <c>start + i / rate</c> whatever happened to the earlier ones, and goes to
/// client <c>i mod N</c>; a submit never waits for an earlier one, and latency is measured from the due time, so a slow
/// platform shows as latency rather than as fewer arrivals (no coordinated omission). With a ramp of <c>R</c> seconds the
/// rate rises linearly from 0 to <c>rate</c> over the first <c>R</c> seconds (arrival <c>i</c> due at
/// <c>sqrt(2 R i / rate)</c>) and stays there (due at <c>R / 2 + i / rate</c>), so cold processes warm up under a
/// growing load instead of starting with a backlog.
/// </summary>
internal static class OpenModelArrivals
{
    public static async Task<ArrivalSchedule> RunAsync(
        IReadOnlyList<LoadClient> clients, double rate, TimeSpan duration, TimeSpan warmup, TimeSpan ramp, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var warmupEnd = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var rampArrivals = rate * ramp.TotalSeconds / 2;
        long next = 0;
        long maxLag = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = start + (long)(DueSeconds(next, rate, ramp.TotalSeconds, rampArrivals) * Stopwatch.Frequency);
            if (due >= end)
            {
                break;
            }

            var now = Stopwatch.GetTimestamp();
            if (due > now)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max((due - now) / (double)Stopwatch.Frequency, 0.001)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            maxLag = Math.Max(maxLag, now - due);
            var client = clients[(int)(next % clients.Count)];
            var inWarmup = due < warmupEnd;
            _ = Task.Run(() => client.SubmitAsync(due, inWarmup, cancellationToken), CancellationToken.None);
            next++;
        }

        return new ArrivalSchedule(next, start, warmupEnd, end, TimeSpan.FromSeconds(maxLag / (double)Stopwatch.Frequency));
    }

    /// <summary>When arrival <paramref name="i"/> is due, in seconds from the start.</summary>
    internal static double DueSeconds(long i, double rate, double rampSeconds, double rampArrivals)
        => i < rampArrivals ? Math.Sqrt(2 * rampSeconds * i / rate) : (rampSeconds / 2) + (i / rate);
}
