using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>
/// Reads <c>workflows.jobs</c> as consumer <c>Workflows:Worker:ConsumerName</c> of group <c>workers</c>, running at
/// most <c>Workflows:Worker:Concurrency</c> jobs at once. Reads never block on Redis (StackExchange.Redis shares one
/// connection between callers, so <c>XREADGROUP</c> is sent without <c>BLOCK</c>): when the stream has nothing new,
/// the consumer waits for a nudge on <see cref="WorkflowStreams.JobsAdded"/> (the relay publishes one per batch) or
/// for <c>PollInterval</c>, whichever comes first. Every <c>MaintenanceInterval</c> it claims entries idle longer
/// than <c>ClaimIdleTime</c> (their consumer died) and samples the queue gauges. On shutdown it stops reading and
/// gives in-flight jobs <c>ShutdownTimeout</c> to finish; the rest stay unacknowledged, to be claimed.
/// </summary>
internal sealed class JobConsumer(
    IConnectionMultiplexer redis,
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
    private readonly Channel<bool> _nudges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly RedisChannel _jobsAdded = RedisChannel.Literal(WorkflowStreams.JobsAdded);

    private IDatabase Database => redis.GetDatabase();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WorkerLog.ConsumerStarted(logger, _options.ConsumerName, WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.Concurrency);
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> nudge = (_, _) => _nudges.Writer.TryWrite(true);
        try
        {
            await SubscribeAsync(subscriber, nudge).ConfigureAwait(false);
            await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
            await Task.WhenAll(ReadLoopAsync(stoppingToken), MaintenanceLoopAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: fall through to drain.
        }
        finally
        {
            await subscriber.UnsubscribeAsync(_jobsAdded, nudge, CommandFlags.FireAndForget).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await DrainAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Subscribes to the relay's nudges. When Redis is down the handler is still registered and the multiplexer
    /// subscribes once it connects; meanwhile the fallback poll finds the jobs.
    /// </summary>
    private async Task SubscribeAsync(ISubscriber subscriber, Action<RedisChannel, RedisValue> nudge)
    {
        try
        {
            await subscriber.SubscribeAsync(_jobsAdded, nudge).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            WorkerLog.ReadFailed(logger, e);
        }
    }

    /// <summary>A failure of Redis or of the connection to it (the multiplexer reports time-outs as <see cref="TimeoutException"/>).</summary>
    internal static bool IsRedisFailure(Exception e) => e is RedisException or RedisTimeoutException;

    /// <summary>Redis lost the stream or the group (restarted without its data).</summary>
    internal static bool IsNoGroup(Exception e) => e is RedisServerException && e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

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

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = await AcquireSlotsAsync(stoppingToken).ConfigureAwait(false);

            // A nudge that came before this read is answered by it.
            _nudges.Reader.TryRead(out _);
            StreamEntry[] entries;
            try
            {
                entries = await Database.StreamReadGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, StreamPosition.NewMessages, free)
                    .WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsNoGroup(e))
            {
                // Redis lost the stream or the group (restarted without its data): create it again; the Gateway's
                // outbox relay republishes what was not yet processed.
                _slots.Release(free);
                WorkerLog.ReadFailed(logger, e);
                await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (IsRedisFailure(e))
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
            if (entries.Length < free)
            {
                // The stream has nothing more for now: wait for the relay's nudge, or poll after PollInterval.
                await WaitForNudgeAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForNudgeAsync(CancellationToken stoppingToken)
    {
        using var poll = new CancellationTokenSource(_options.PollInterval, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, stoppingToken);
        try
        {
            await _nudges.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // PollInterval passed without a nudge: read anyway.
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
            catch (Exception e) when (IsNoGroup(e))
            {
                WorkerLog.MaintenanceFailed(logger, e);
                await EnsureGroupAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                WorkerLog.MaintenanceFailed(logger, e);
            }
        }
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        var free = await AcquireSlotsAsync(stoppingToken).ConfigureAwait(false);
        StreamAutoClaimResult claimed;
        try
        {
            claimed = await Database.StreamAutoClaimAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, (long)_options.ClaimIdleTime.TotalMilliseconds, "0-0", free)
                .WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release(free);
            throw;
        }

        if (claimed.ClaimedEntries.Length > 0)
        {
            WorkerLog.Claimed(logger, claimed.ClaimedEntries.Length, _options.ClaimIdleTime);
        }

        // An entry this consumer is still executing (idle past ClaimIdleTime on a starved machine) comes back to us
        // too: it is already running here, so it is not started a second time. Entries deleted from the stream since
        // their delivery are not returned (Redis drops them from the pending list).
        var others = claimed.ClaimedEntries.Where(entry => !_inFlight.ContainsKey(entry.Id.ToString())).ToArray();
        Dispatch(others, free, redelivered: true);
    }

    /// <summary>
    /// Resets the idle time of the jobs this consumer is executing (XCLAIM to itself, JUSTID: the delivery count is
    /// not raised), so that a long run is not claimed by another consumer while this one is alive.
    /// </summary>
    private async Task KeepClaimedAsync(CancellationToken stoppingToken)
    {
        var ids = _inFlight.Keys.Select(id => (RedisValue)id).ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        await Database.StreamClaimIdsOnlyAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, _options.ConsumerName, 0, ids).WaitAsync(stoppingToken).ConfigureAwait(false);
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
        await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
        var free = 1;
        while (_slots.Wait(0, CancellationToken.None))
        {
            free++;
        }

        return free;
    }

    /// <summary>Starts one task per entry (each holding one of the <paramref name="slots"/>) and returns the unused slots.</summary>
    private void Dispatch(StreamEntry[] entries, int slots, bool redelivered)
    {
        foreach (var entry in entries)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[entry.Id.ToString()] = started.Task;
            _ = RunAsync(entry, redelivered, started);
        }

        var unused = slots - entries.Length;
        if (unused > 0)
        {
            _slots.Release(unused);
        }
    }

    private async Task RunAsync(StreamEntry entry, bool redelivered, TaskCompletionSource done)
    {
        try
        {
            await processor.ProcessAsync(entry, redelivered, _processing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Left pending: another delivery (after ClaimIdleTime) retries it.
            WorkerLog.JobFailed(logger, entry.Id.ToString(), 0, e);
        }
        finally
        {
            _inFlight.TryRemove(entry.Id.ToString(), out _);
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
