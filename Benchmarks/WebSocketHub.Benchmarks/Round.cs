using System.Diagnostics;
using System.Text.Json;
using Observability.TestInfrastructure.Processes;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Benchmarks;

/// <summary>
/// One round against one server: the publisher appends events with <see cref="WorkflowEventLog.AppendAsync"/> (the
/// Worker's script: XADD to the run and session streams, then PUBLISH) to that server's sessions as fast as its clients
/// receive them (at most <c>window</c> events per session published and not yet received by every client, sent
/// pipelined so that the publisher, which shares a busy process with the clients, is not what limits); after a
/// 2 s warm-up the deliveries are counted for the measured window; then publishing stops and the round waits until
/// every owed delivery arrived (or 10 s passed: the rest are reported lost).
/// </summary>
internal static class Round
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Appends sent at once, at most (pipelined, then awaited together).</summary>
    private const int MaxBatch = 64;

    public static async Task<RoundResult> RunAsync(
        BenchmarkTarget target, WorkflowEventLog log, int fanOut, int window, JsonElement payload, int seconds, int redisProcessId)
    {
        var sessions = target.SessionIds.Length;
        var runIds = target.SessionIds.Select(_ => Guid.NewGuid()).ToArray();
        var baseline = target.Counter.Total;
        long published = 0;
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Events that may still be published: the window less those not yet received by every client.
                var undelivered = ((Interlocked.Read(ref published) * fanOut) - (target.Counter.Total - baseline) + fanOut - 1) / fanOut;
                var allowed = Math.Min((long)window * sessions - undelivered, MaxBatch);
                if (allowed <= 0)
                {
                    await Task.Delay(1).ConfigureAwait(false);
                    continue;
                }

                // Pipelined on the one multiplexed connection: Redis runs the scripts in the order they were sent, so
                // each session's stream and the channel keep the publication order.
                var appends = new Task[allowed];
                for (var i = 0; i < allowed; i++)
                {
                    var number = Interlocked.Increment(ref published);
                    var index = (int)(number % sessions);
                    var workflowEvent = new WorkflowEvent(Guid.NewGuid(), runIds[index], number, WorkflowEventType.StepCompleted, DateTimeOffset.UtcNow, payload);
                    appends[i] = log.AppendAsync(target.SessionIds[index], workflowEvent, null, CancellationToken.None);
                }

                await Task.WhenAll(appends).ConfigureAwait(false);
            }
        });

        await Task.Delay(Warmup).ConfigureAwait(false);
        var startDeliveries = target.Counter.Total;
        var startPublished = Interlocked.Read(ref published);
        var startServerCpu = ProcFs.CpuSeconds(target.ProcessId);
        var startRedisCpu = ProcFs.CpuSeconds(redisProcessId);
        var startOwnCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long peakResident = 0;
        for (var i = 0; i < seconds * 4; i++)
        {
            await Task.Delay(250).ConfigureAwait(false);
            peakResident = Math.Max(peakResident, ProcFs.Memory(target.ProcessId).Rss);
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        var result = new RoundResult(
            target.Name,
            elapsed,
            target.Counter.Total - startDeliveries,
            Interlocked.Read(ref published) - startPublished,
            ProcFs.CpuSeconds(target.ProcessId) - startServerCpu,
            (Process.GetCurrentProcess().TotalProcessorTime - startOwnCpu).TotalSeconds,
            ProcFs.CpuSeconds(redisProcessId) - startRedisCpu,
            peakResident,
            Lost: 0,
            ProcFs.LoadAverage());
        await stop.CancelAsync().ConfigureAwait(false);
        await publishing.ConfigureAwait(false);

        // Every event published in the round is owed to every client of its session.
        var owed = Interlocked.Read(ref published) * fanOut;
        var drain = Stopwatch.StartNew();
        while (target.Counter.Total - baseline < owed && drain.Elapsed < DrainTimeout)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        return result with { Lost = owed - (target.Counter.Total - baseline) };
    }
}
