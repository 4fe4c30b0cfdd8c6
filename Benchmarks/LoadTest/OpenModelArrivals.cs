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
/// platform shows as latency rather than as fewer arrivals (no coordinated omission).
/// </summary>
internal static class OpenModelArrivals
{
    public static async Task<ArrivalSchedule> RunAsync(
        IReadOnlyList<LoadClient> clients, double rate, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var warmupEnd = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var ticksPerArrival = Stopwatch.Frequency / rate;
        long next = 0;
        long maxLag = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = start + (long)(next * ticksPerArrival);
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
}
