using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// Reads <c>workflows.jobs</c> as consumer <c>Workflows:Worker:ConsumerName</c> of group <c>workers</c>, running at
/// most <c>Workflows:Worker:Concurrency</c> jobs at once. Each read is a blocking <c>XREADGROUP … BLOCK</c>
/// (<c>PollInterval</c>) on a connection of its own (<see cref="JobReadConnection"/>): Redis answers it with the
/// entry the moment the relay's XADD arrives, so a job is picked up without a nudge or a poll in between; when the
/// block passes with nothing new, the loop reads again (opening a due claim round first).
/// </summary>
/// <remarks>
/// <para>Orphans (entries idle longer than <c>ClaimIdleTime</c>: their consumer died) are claimed by the same loop that
/// reads, ahead of new entries, each time slots are free: every <c>MaintenanceInterval</c> opens a claim round (taken
/// up when the read in flight returns, at most <c>PollInterval</c> later), which
/// follows XAUTOCLAIM's cursor through the whole pending list, as many entries per call as slots are free, until the
/// cursor comes back to <c>0-0</c>. So a worker that dies holding 100 jobs has them all resumed by the survivors as
/// fast as their slots allow, not one per interval.</para>
/// <para>Every <c>MaintenanceInterval</c> the consumer also keeps its in-flight entries claimed (their idle time
/// restarts), marks their runs as owned (<see cref="WorkflowStreams.RunOwner"/>, read by
/// <see cref="RedisReconciler"/> after Redis lost its data) and samples the queue gauges. On shutdown it stops
/// reading and gives in-flight jobs <c>ShutdownTimeout</c> to finish; the rest stay unacknowledged, to be claimed.</para>
/// </remarks>
internal sealed class JobConsumer(
    IConnectionMultiplexer redis,
    JobReadConnection reads,
    JobProcessor processor,
    RedisLossSignal lossSignal,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<JobConsumer> logger) : BackgroundService
{
    /// <summary>How long cancelled jobs get to release their runs after the shutdown timeout.</summary>
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(5);

    private static readonly RedisValue CursorStart = "0-0";

    private readonly JobConsumerOptions _options = options.Value;

    // One token per free execution slot (a channel, not a SemaphoreSlim: nothing to dispose, so a loop still running
    // while the host is disposed after a failed start never meets a disposed object).
    private readonly Channel<bool> _slots = CreateSlots(options.Value.Concurrency);
    private readonly CancellationTokenSource _processing = new();
    private readonly ConcurrentDictionary<string, InFlightJob> _inFlight = new(StringComparer.Ordinal);

    // The claim round: opened by the maintenance loop, walked by the read loop (only it touches the cursor).
    private volatile bool _claimDue;
    private RedisValue _claimCursor = CursorStart;
    private int _claimedThisRound;

    private IDatabase Database => redis.GetDatabase();

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
        catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is being disposed (e.g. its start failed): the Redis client went first.
        }
        finally
        {
            // A read still blocked on the server ends with its connection, so no job is delivered to this stopping
            // consumer from now on (one already on its way stays pending, to be claimed).
            await reads.DisposeAsync().ConfigureAwait(false);
        }

        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>A failure of Redis or of the connection to it (the multiplexer reports time-outs as <see cref="TimeoutException"/>).</summary>
    internal static bool IsRedisFailure(Exception e) => e is RedisException or RedisTimeoutException;

    /// <summary>Redis lost the stream or the group (restarted without its data).</summary>
    internal static bool IsNoGroup(Exception e) => e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    public override void Dispose()
    {
        // Stops the loops (cancels their token) and in-flight jobs. The source is not disposed (it has no timer to free):
        // a loop or job still finishing after a failed start may read its token.
        base.Dispose();
        _processing.Cancel();
    }

    private static Channel<bool> CreateSlots(int concurrency)
    {
        var slots = Channel.CreateBounded<bool>(concurrency);
        for (var i = 0; i < concurrency; i++)
        {
            slots.Writer.TryWrite(true);
        }

        return slots;
    }

    private async Task EnsureGroupAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                // "0": a group created after the Gateway queued jobs still gets them.
                await Database.StreamCreateConsumerGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "0", createStream: true).WaitAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                WorkerLog.ReadFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Redis lost the stream or the group (restarted without its data, or deleted): create it again, and have the
    /// reconciler re-enqueue from PostgreSQL what the lost stream held.
    /// </summary>
    private async Task RecoverGroupAsync(Exception e, CancellationToken stoppingToken)
    {
        WorkerLog.ReadFailed(logger, e);
        lossSignal.Raise();
        _claimCursor = CursorStart;
        await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = await AcquireSlotsAsync(stoppingToken).ConfigureAwait(false);

            var claiming = _claimDue;
            StreamEntry[] entries;
            try
            {
                entries = claiming
                    ? await ClaimAsync(free, stoppingToken).ConfigureAwait(false)
                    : await reads.ReadAsync(free, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNoGroup(e))
            {
                ReleaseSlots(free);
                await RecoverGroupAsync(e, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                ReleaseSlots(free);
                WorkerLog.ReadFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch
            {
                ReleaseSlots(free);
                throw;
            }

            Dispatch(entries, free, redelivered: claiming);
        }
    }

    private async Task MaintenanceLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            // Open a claim round (the read loop walks it with the slots it frees, once its read in flight returns).
            _claimDue = true;
            try
            {
                await KeepClaimedAsync(stoppingToken).ConfigureAwait(false);
                await SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNoGroup(e))
            {
                WorkerLog.MaintenanceFailed(logger, e);
                lossSignal.Raise();
                await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                WorkerLog.MaintenanceFailed(logger, e);
            }
        }
    }

    /// <summary>
    /// One step of the claim round: XAUTOCLAIM from the round's cursor, at most <paramref name="free"/> entries; the
    /// round ends when the cursor comes back to <c>0-0</c> (the whole pending list was scanned).
    /// </summary>
    private async Task<StreamEntry[]> ClaimAsync(int free, CancellationToken stoppingToken)
    {
        var claimed = await Database.StreamAutoClaimAsync(
                WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, (long)_options.ClaimIdleTime.TotalMilliseconds, _claimCursor, free)
            .WaitAsync(stoppingToken).ConfigureAwait(false);
        _claimedThisRound += claimed.ClaimedEntries.Length;
        _claimCursor = claimed.NextStartId;
        if (claimed.NextStartId.IsNullOrEmpty || claimed.NextStartId == CursorStart)
        {
            _claimCursor = CursorStart;
            _claimDue = false;
            if (_claimedThisRound > 0)
            {
                WorkerLog.Claimed(logger, _claimedThisRound, _options.ClaimIdleTime);
            }

            _claimedThisRound = 0;
        }

        // An entry this consumer is still executing (idle past ClaimIdleTime on a starved machine) comes back to us
        // too: it is already running here, so it is not started a second time. Entries deleted from the stream since
        // their delivery are not returned (Redis drops them from the pending list).
        return claimed.ClaimedEntries.Where(entry => !_inFlight.ContainsKey(entry.Id.ToString())).ToArray();
    }

    /// <summary>
    /// Resets the idle time of the jobs this consumer is executing (XCLAIM to itself, JUSTID: the delivery count is
    /// not raised), so that a long run is not claimed by another consumer while this one is alive; and marks each of
    /// their runs as owned for <c>ClaimIdleTime</c> (what the reconciler asks after Redis lost its pending lists).
    /// </summary>
    private async Task KeepClaimedAsync(CancellationToken stoppingToken)
    {
        var jobs = _inFlight.ToArray();
        if (jobs.Length == 0)
        {
            return;
        }

        var database = Database;
        var ids = jobs.Select(job => (RedisValue)job.Key).ToArray();
        var tasks = new List<Task>(jobs.Length + 1)
        {
            database.StreamClaimIdsOnlyAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, 0, ids),
        };
        foreach (var (_, job) in jobs)
        {
            if (job.RunId is { } runId)
            {
                tasks.Add(database.StringSetAsync(WorkflowStreams.RunOwner(runId), _options.ConsumerName, new Expiration(_options.ClaimIdleTime)));
            }
        }

        await Task.WhenAll(tasks).WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    private async Task SampleAsync(CancellationToken stoppingToken)
    {
        var database = Database;
        var depth = database.StreamLengthAsync(WorkflowStreams.Jobs);
        var pending = database.StreamPendingAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup);
        var groups = database.StreamGroupInfoAsync(WorkflowStreams.Jobs);
        await Task.WhenAll(depth, pending, groups).WaitAsync(stoppingToken).ConfigureAwait(false);
        var lag = (await groups.ConfigureAwait(false)).FirstOrDefault(g => g.Name == WorkflowStreams.WorkersGroup).Lag ?? 0;
        telemetry.RecordQueueSample(await depth.ConfigureAwait(false), (await pending.ConfigureAwait(false)).PendingMessageCount, lag);
    }

    /// <summary>Waits for one free slot, then takes every other free one without waiting.</summary>
    private async Task<int> AcquireSlotsAsync(CancellationToken stoppingToken)
    {
        await _slots.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
        var free = 1;
        while (_slots.Reader.TryRead(out _))
        {
            free++;
        }

        return free;
    }

    private void ReleaseSlots(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _slots.Writer.TryWrite(true);
        }
    }

    /// <summary>Starts one task per entry (each holding one of the <paramref name="slots"/>) and returns the unused slots.</summary>
    private void Dispatch(StreamEntry[] entries, int slots, bool redelivered)
    {
        foreach (var entry in entries)
        {
            // Parsed once, here: the in-flight record needs the run, and the processor gets the message.
            var message = JobProcessor.Parse(entry);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[entry.Id.ToString()] = new InFlightJob(started.Task, message?.RunId);
            _ = RunAsync(entry, message, redelivered, started);
        }

        ReleaseSlots(slots - entries.Length);
    }

    private async Task RunAsync(StreamEntry entry, WorkflowJobMessage? message, bool redelivered, TaskCompletionSource done)
    {
        try
        {
            await processor.ProcessAsync(entry, message, redelivered, _processing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Left pending: another delivery (after ClaimIdleTime) retries it.
            WorkerLog.JobFailed(logger, entry.Id.ToString(), 0, e);
        }
        finally
        {
            _inFlight.TryRemove(entry.Id.ToString(), out _);
            ReleaseSlots(1);
            done.TrySetResult();
        }
    }

    private async Task DrainAsync()
    {
        var inFlight = _inFlight.Values.Select(job => job.Done).ToArray();
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

    /// <summary>A job this consumer executes: its completion and, when the entry was readable, its run.</summary>
    private readonly record struct InFlightJob(Task Done, Guid? RunId);
}
