using System.Collections.Concurrent;
using System.Net;
using Observability.EndToEnd.Tests.Harness;

namespace Observability.Chaos.Tests;

/// <summary>
/// Submits workflows at a steady rate in the background (each submit on its own, so a slow answer during a fault does
/// not slow the load), remembering each accepted run with the time it was accepted; anything but 202 is counted as
/// refused (the client was told, nothing was lost).
/// </summary>
internal sealed class Submitter
{
    private static readonly string[] Tasks =
    [
        "Research the market for solar panels. Write a summary of the findings; then draft a recommendation",
        "Reconcile the ledger against the bank statements. Explain every difference",
        "Translate the onboarding guide into French. Review the terms; then list the open questions",
    ];

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _accepted = new();
    private readonly List<Task> _submits = [];
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopping;
    private int _refused;

    /// <summary>Runs the gateway answered 202 for, with the time of the answer.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> Accepted => _accepted;

    /// <summary>Submits answered otherwise (or not at all).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static Submitter Start(WorkflowsClient api, double perSecond, CancellationToken cancellationToken)
    {
        var submitter = new Submitter();
        submitter._loop = submitter.LoopAsync(api, TimeSpan.FromSeconds(1 / perSecond), cancellationToken);
        return submitter;
    }

    /// <summary>Stops submitting and waits for the submits still in flight.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await _loop;
        Task[] pending;
        lock (_submits)
        {
            pending = [.. _submits];
        }

        await Task.WhenAll(pending);
    }

    private async Task LoopAsync(WorkflowsClient api, TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        var number = 0;
        try
        {
            while (!_stopping && await timer.WaitForNextTickAsync(cancellationToken))
            {
                var task = Tasks[number++ % Tasks.Length];
                lock (_submits)
                {
                    _submits.Add(SubmitAsync(api, task, cancellationToken));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The test's deadline.
        }
    }

    private async Task SubmitAsync(WorkflowsClient api, string task, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await api.PostAsync(new { task }, null, null, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var run = await WorkflowsClient.ReadAcceptedAsync(response, cancellationToken);
                _accepted[run.RunId] = DateTimeOffset.UtcNow;
                return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Refused by the fault (connection reset, time-out): the client knows it was not accepted.
        }

        Interlocked.Increment(ref _refused);
    }
}
