using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Observability.Redis;
using Observability.Redis.Streams;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Jobs;

/// <summary>
/// Reads <c>workflows.jobs</c> as consumer <c>Workflows:Worker:ConsumerName</c> of group <c>workers</c>, running at
/// most <c>Workflows:Worker:Concurrency</c> jobs at once. Every <c>MaintenanceInterval</c> it claims entries idle longer
/// than <c>ClaimIdleTime</c> (their consumer died) and samples the queue gauges. On shutdown it stops reading and
/// gives in-flight jobs <c>ShutdownTimeout</c> to finish; the rest stay unacknowledged, to be claimed.
/// </summary>
internal sealed class JobConsumer(
    RedisClient redis,
    JobProcessor processor,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<JobConsumer> logger) : BackgroundService
{
    /// <summary>How long cancelled jobs get to release their runs after the shutdown timeout.</summary>
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(5);

    private readonly JobConsumerOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);
    private readonly CancellationTokenSource _processing = new();
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WorkerLog.ConsumerStarted(logger, _options.ConsumerName, WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.Concurrency);
        try
        {
            await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
            await Task.WhenAll(ReadLoopAsync(stoppingToken), MaintenanceLoopAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to drain.
        }

        await DrainAsync().ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _processing.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    private async Task EnsureGroupAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                // "0": a group created after the Gateway queued jobs still gets them.
                await redis.XGroupCreateAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "0", stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (RedisException e)
            {
                WorkerLog.ReadFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = await AcquireSlotsAsync(stoppingToken).ConfigureAwait(false);
            IReadOnlyList<RedisStreamEntry> entries;
            try
            {
                entries = await redis.XReadGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, free, _options.BlockTimeout, ">", stoppingToken).ConfigureAwait(false);
            }
            catch (RedisServerException e) when (e.ErrorCode == "NOGROUP")
            {
                // Redis lost the stream or the group (restarted without its data): create it again; the Gateway's
                // outbox relay republishes what was not yet processed.
                _slots.Release(free);
                WorkerLog.ReadFailed(logger, e);
                await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (RedisException e)
            {
                _slots.Release(free);
                WorkerLog.ReadFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch
            {
                _slots.Release(free);
                throw;
            }

            Dispatch(entries, free, redelivered: false);
        }
    }

    private async Task MaintenanceLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await KeepClaimedAsync(stoppingToken).ConfigureAwait(false);
                await SampleAsync(stoppingToken).ConfigureAwait(false);
                await ClaimAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (RedisServerException e) when (e.ErrorCode == "NOGROUP")
            {
                WorkerLog.MaintenanceFailed(logger, e);
                await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (RedisException e)
            {
                WorkerLog.MaintenanceFailed(logger, e);
            }
        }
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        var free = await AcquireSlotsAsync(stoppingToken).ConfigureAwait(false);
        RedisAutoClaimResult claimed;
        try
        {
            claimed = await redis.XAutoClaimAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, _options.ClaimIdleTime, "0-0", free, stoppingToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release(free);
            throw;
        }

        if (claimed.Entries.Count > 0)
        {
            WorkerLog.Claimed(logger, claimed.Entries.Count, _options.ClaimIdleTime);
        }

        // An entry this consumer is still executing (idle past ClaimIdleTime on a starved machine) comes back to us
        // too: it is already running here, so it is not started a second time.
        var others = claimed.Entries.Where(entry => !_inFlight.ContainsKey(entry.Id)).ToList();
        Dispatch(others, free, redelivered: true);
    }

    /// <summary>
    /// Resets the idle time of the jobs this consumer is executing (XCLAIM to itself, JUSTID: the delivery count is
    /// not raised), so that a long run is not claimed by another consumer while this one is alive.
    /// </summary>
    private async Task KeepClaimedAsync(CancellationToken stoppingToken)
    {
        var ids = _inFlight.Keys.ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var arguments = new RedisValue[ids.Length + 5];
        arguments[0] = WorkflowStreams.Jobs;
        arguments[1] = WorkflowStreams.WorkersGroup;
        arguments[2] = _options.ConsumerName;
        arguments[3] = "0";
        for (var i = 0; i < ids.Length; i++)
        {
            arguments[i + 4] = ids[i];
        }

        arguments[^1] = "JUSTID";
        await redis.ExecuteAsync("XCLAIM", arguments, stoppingToken).ConfigureAwait(false);
    }

    private async Task SampleAsync(CancellationToken stoppingToken)
    {
        var depth = await redis.XLenAsync(WorkflowStreams.Jobs, stoppingToken).ConfigureAwait(false);
        var pending = await redis.XPendingAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, stoppingToken).ConfigureAwait(false);
        var groups = await redis.XInfoGroupsAsync(WorkflowStreams.Jobs, stoppingToken).ConfigureAwait(false);
        var lag = groups.FirstOrDefault(g => g.Name == WorkflowStreams.WorkersGroup)?.Lag ?? 0;
        telemetry.RecordQueueSample(depth, pending.Count, lag);
    }

    /// <summary>Waits for one free slot, then takes every other free one without waiting.</summary>
    private async Task<int> AcquireSlotsAsync(CancellationToken stoppingToken)
    {
        await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
        var free = 1;
        while (_slots.Wait(0, CancellationToken.None))
        {
            free++;
        }

        return free;
    }

    /// <summary>Starts one task per entry (each holding one of the <paramref name="slots"/>) and returns the unused slots.</summary>
    private void Dispatch(IReadOnlyList<RedisStreamEntry> entries, int slots, bool redelivered)
    {
        // Entries deleted from the stream since delivery come back without fields; the processor dead-letters them.
        foreach (var entry in entries)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[entry.Id] = started.Task;
            _ = RunAsync(entry, redelivered, started);
        }

        var unused = slots - entries.Count;
        if (unused > 0)
        {
            _slots.Release(unused);
        }
    }

    private async Task RunAsync(RedisStreamEntry entry, bool redelivered, TaskCompletionSource done)
    {
        try
        {
            await processor.ProcessAsync(entry, redelivered, _processing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Left pending: another delivery (after ClaimIdleTime) retries it.
            WorkerLog.JobFailed(logger, entry.Id, 0, e);
        }
        finally
        {
            _inFlight.TryRemove(entry.Id, out _);
            _slots.Release();
            done.TrySetResult();
        }
    }

    private async Task DrainAsync()
    {
        var inFlight = _inFlight.Values.ToArray();
        if (inFlight.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(inFlight).WaitAsync(_options.ShutdownTimeout, timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            WorkerLog.ShutdownTimedOut(logger, _inFlight.Count);
            await _processing.CancelAsync().ConfigureAwait(false);

            // Cancelled jobs hand their runs back (Running → Queued) before the process exits.
            await Task.WhenAll(inFlight).WaitAsync(AbandonTimeout, timeProvider).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
