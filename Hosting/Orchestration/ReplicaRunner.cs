using Microsoft.Extensions.Logging;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Orchestration;

/// <summary>
/// Runs one replica for the whole life of the host: wait for dependencies, start, watch health and exit, restart a
/// crashed project with a doubling backoff, and obey stop / start / restart commands.
/// </summary>
internal sealed partial class ReplicaRunner : IDisposable
{
    private readonly ReplicaContext _context;
    private readonly ResourceNotificationService _notifications;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private ResourceSnapshot _snapshot;
    private CancellationTokenSource _runCts = new();
    private TaskCompletionSource _startRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _shutdown;
    private Task _loop = Task.CompletedTask;

    public ReplicaRunner(ReplicaContext context, ResourceNotificationService notifications, ILogger logger)
    {
        _context = context;
        _notifications = notifications;
        _logger = logger;
        _snapshot = new ResourceSnapshot(context.Resource.Name, context.InstanceId, ResourceState.NotStarted, Now);
        _notifications.Publish(_snapshot);
    }

    public Resource Resource => _context.Resource;

    public ReplicaContext Context => _context;

    private HostingOptions Options => _context.Host.Options;

    private DateTimeOffset Now => _context.Host.TimeProvider.GetUtcNow();

    public void Start()
    {
        lock (_lock)
        {
            _loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>Stops the replica (waiting, starting, running or about to restart) and waits until it is stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_lock)
        {
            if (_loop.IsCompleted)
            {
                // Never started (or shut down): nothing runs.
                return;
            }

            _runCts.Cancel();
            idle = _idle.Task;
        }

        await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a stopped, finished or failed replica again; false when it is not stopped.</summary>
    public bool RequestStart()
    {
        lock (_lock)
        {
            return _idle.Task.IsCompleted && !_shutdown && _startRequested.TrySetResult();
        }
    }

    /// <summary>Stops for good (host shutdown).</summary>
    public async Task ShutdownAsync()
    {
        lock (_lock)
        {
            _shutdown = true;
            _runCts.Cancel();
            _startRequested.TrySetResult();
        }

        await _loop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _runCts.Dispose();
        }
    }

    private async Task LoopAsync()
    {
        var backoff = Options.RestartBackoff;
        var restarts = 0;
        while (true)
        {
            CancellationToken token;
            lock (_lock)
            {
                if (_shutdown)
                {
                    return;
                }

                token = _runCts.Token;
            }

            var (outcome, exitCode, ranFor) = await RunOnceAsync(token).ConfigureAwait(false);
            if (ranFor >= Options.MaxRestartBackoff)
            {
                // It ran well for a while: a new crash starts the backoff over.
                backoff = Options.RestartBackoff;
            }

            if (outcome == RunOutcome.Crashed && Resource.RestartOnCrash && !token.IsCancellationRequested)
            {
                restarts++;
                Log.Restarting(_logger, _context.InstanceId, exitCode, restarts, backoff);
                Publish(ResourceState.Exited, $"exited with code {exitCode}; restarting in {backoff.TotalSeconds:0.#} s", exitCode: exitCode, restarts: restarts);
                try
                {
                    await Task.Delay(backoff, _context.Host.TimeProvider, token).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Options.MaxRestartBackoff.Ticks));
                    continue;
                }
                catch (OperationCanceledException)
                {
                    Publish(ResourceState.Exited, "stopped", exitCode: exitCode);
                }
            }

            await WaitForStartCommandAsync().ConfigureAwait(false);
            backoff = Options.RestartBackoff;
        }
    }

    private async Task WaitForStartCommandAsync()
    {
        Task start;
        lock (_lock)
        {
            _idle.TrySetResult();
            start = _startRequested.Task;
        }

        await start.ConfigureAwait(false);
        lock (_lock)
        {
            _startRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _runCts.Dispose();
            _runCts = new CancellationTokenSource();
        }
    }

    private async Task<(RunOutcome Outcome, int ExitCode, TimeSpan RanFor)> RunOnceAsync(CancellationToken token)
    {
        IResourceInstance instance;
        try
        {
            if (Resource.WaitsForHealthy.Count + Resource.WaitsForCompletion.Count > 0)
            {
                Publish(ResourceState.Waiting, "waiting for dependencies");
                if (await DependencyWaiter.WaitAsync(Resource, _notifications, PublishWaitingReason, token).ConfigureAwait(false) is { } failure)
                {
                    Publish(ResourceState.FailedToStart, failure);
                    return (RunOutcome.Failed, 0, TimeSpan.Zero);
                }
            }

            Publish(ResourceState.Starting, null);
            instance = await Resource.StartInstanceAsync(_context, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Publish(ResourceState.Exited, "stopped before it started");
            return (RunOutcome.Stopped, 0, TimeSpan.Zero);
        }
#pragma warning disable CA1031 // Whatever stops a resource from starting is reported as its state, not thrown at the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FailedToStart(_logger, e, _context.InstanceId);
            Publish(ResourceState.FailedToStart, e.Message);
            return (RunOutcome.Failed, 0, TimeSpan.Zero);
        }

        await using (instance.ConfigureAwait(false))
        {
            return await MonitorAsync(instance, token).ConfigureAwait(false);
        }
    }

    private async Task<(RunOutcome Outcome, int ExitCode, TimeSpan RanFor)> MonitorAsync(IResourceInstance instance, CancellationToken token)
    {
        var probe = Resource.CreateHealthProbe(_context);
        Publish(probe is null ? ResourceState.Running : ResourceState.Starting, probe is null ? null : $"waiting for {probe.Description}", instance.ProcessId);
        using var healthCts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var health = probe is null ? Task.CompletedTask : WatchHealthAsync(probe, instance.ProcessId, healthCts.Token);
        var startedAt = _context.Host.TimeProvider.GetTimestamp();
        try
        {
            var exitCode = await instance.Exited.WaitAsync(token).ConfigureAwait(false);
            await healthCts.CancelAsync().ConfigureAwait(false);
            await health.ConfigureAwait(false);
            var ranFor = _context.Host.TimeProvider.GetElapsedTime(startedAt);
            if (exitCode == 0)
            {
                Publish(ResourceState.Finished, null, exitCode: 0);
                return (RunOutcome.Finished, 0, ranFor);
            }

            Publish(ResourceState.Exited, $"exited with code {exitCode}", exitCode: exitCode);
            return (RunOutcome.Crashed, exitCode, ranFor);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            await health.ConfigureAwait(false);
            Publish(ResourceState.Stopping, null, instance.ProcessId);
            await instance.StopAsync(Options.StopTimeout).ConfigureAwait(false);
            Publish(ResourceState.Exited, "stopped", exitCode: await instance.Exited.ConfigureAwait(false));
            return (RunOutcome.Stopped, 0, TimeSpan.Zero);
        }
    }

    private void PublishWaitingReason(string reason)
    {
        lock (_lock)
        {
            if (_snapshot.State == ResourceState.Waiting && _snapshot.Reason == reason)
            {
                return;
            }
        }

        Publish(ResourceState.Waiting, reason);
    }

    private void Publish(ResourceState state, string? reason, int? processId = null, int? exitCode = null, int? restarts = null)
    {
        lock (_lock)
        {
            _snapshot = _snapshot with
            {
                State = state,
                Reason = reason,
                ProcessId = processId,
                ExitCode = exitCode ?? _snapshot.ExitCode,
                RestartCount = restarts ?? _snapshot.RestartCount,
                Timestamp = Now,
            };
            _notifications.Publish(_snapshot);
        }
    }
}
