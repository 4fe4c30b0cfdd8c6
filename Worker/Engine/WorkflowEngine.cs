using System.Diagnostics;
using Microsoft.Extensions.Options;
using Observability.Worker.Events;
using Observability.Worker.Jobs;
using Observability.Worker.Llm;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Executes a started run: plan (the model's plan, or the deterministic fallback), record the plan, then run the
/// steps in dependency order (in parallel where the DAG allows, at most <c>Workflows:Worker:MaxParallelSteps</c> at
/// once, see <see cref="StepExecutor"/>). A run that an earlier attempt already planned resumes: its completed steps
/// are kept, the others run again. A failed step skips its dependents and fails the run with the reason. Publishes the
/// run's events and checks the thresholds. Every database change is fenced by the run's attempt.
/// </summary>
internal sealed class WorkflowEngine(
    RunExecutionStore store,
    WorkflowPlanner planner,
    StepExecutor steps,
    WorkflowEventPublisher publisher,
    PerformanceMonitor monitor,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<WorkflowEngine> logger)
{
    private readonly int _maxParallelSteps = options.Value.MaxParallelSteps;

    /// <summary>Runs <paramref name="run"/> to Completed or Failed; returns the run's status afterwards.</summary>
    public async Task<WorkflowRunStatus> ExecuteAsync(RunExecution run, WorkflowEvent? lastEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = timeProvider.GetTimestamp();
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.run");
        activity?.SetTag("workflow.run.id", run.RunId.ToString());
        activity?.SetTag("workflow.run.attempt", run.Attempt);
        var events = publisher.Open(run.RunId, run.SessionId, lastEvent);
        try
        {
            if (lastEvent is null)
            {
                // Nothing published for this run yet (the Gateway does not publish Queued): say it was queued, and when,
                // and whether this attempt resumes work an earlier one recorded (its plan): only then are events of an
                // earlier attempt missing from the stream. An earlier attempt that ended before its plan (a replica
                // killed between the start and its first append) left nothing a follower needs.
                events.Publish(WorkflowEventType.Queued, new QueuedPayload(run.CreatedAt, run.Attempt, Resumed: run.Plan is not null));
            }

            StepGraph graph;
            IReadOnlyList<string> firstSteps;
            if (run.Plan is null)
            {
                var outcome = await planner.PlanAsync(run, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("workflow.quality_score", outcome.Validation.QualityScore);
                telemetry.RecordPlan(outcome.Plan, outcome.Validation.QualityScore);
                graph = new StepGraph(outcome.Plan, new HashSet<string>());
                var roots = graph.Ready(_maxParallelSteps);
                var recorded = await store.TryRecordPlanAsync(
                    run, outcome.Plan, outcome.Validation.QualityScore, outcome.Response?.InputTokens ?? 0, outcome.Response?.OutputTokens ?? 0,
                    outcome.Response?.CostUsd ?? 0m, roots, cancellationToken).ConfigureAwait(false);
                if (!recorded)
                {
                    return await AbandonAsync(run, events, activity, cancellationToken).ConfigureAwait(false);
                }

                events.Publish(WorkflowEventType.Planned, new PlannedPayload(outcome.Plan, outcome.Validation.QualityScore));
                firstSteps = roots;
            }
            else
            {
                var completed = await store.ResumeStepsAsync(run, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("workflow.run.resumed_steps", completed.Count);
                WorkerLog.Resumed(logger, run.RunId, run.Attempt, completed.Count);
                graph = new StepGraph(run.Plan, completed);
                firstSteps = await store.StartStepsAsync(run, graph.Ready(_maxParallelSteps), cancellationToken).ConfigureAwait(false);
            }

            var (failure, finishedWithLastStep) = await ExecuteStepsAsync(run, graph, firstSteps, events, cancellationToken).ConfigureAwait(false);
            var finish = finishedWithLastStep
                ?? await store.FinishAsync(run, failure is null ? WorkflowRunStatus.Completed : WorkflowRunStatus.Failed, cancellationToken).ConfigureAwait(false);
            var status = finish.Status ?? WorkflowRunStatus.Failed;
            if (!finish.Applied)
            {
                return await AbandonAsync(run, events, activity, cancellationToken, status).ConfigureAwait(false);
            }

            var duration = timeProvider.GetElapsedTime(started);
            var statusTag = new KeyValuePair<string, object?>("workflow.status", status.ToString());
            telemetry.WorkflowDuration.Record(duration.TotalSeconds, statusTag);
            telemetry.WorkflowCost.Record((double)finish.Cost, statusTag);
            telemetry.Workflows.Add(1, statusTag);
            activity?.SetTag("workflow.status", status.ToString());
            activity?.SetTag("workflow.cost", (double)finish.Cost);
            if (failure is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, failure);
            }

            await monitor.CheckWorkflowAsync(events, duration, finish.Cost, failure is not null, cancellationToken).ConfigureAwait(false);
            events.Publish(
                status == WorkflowRunStatus.Completed ? WorkflowEventType.Completed : WorkflowEventType.Failed,
                new RunFinishedPayload(status, finish.InputTokens, finish.OutputTokens, finish.Cost, duration.TotalSeconds, run.Attempt, failure));
            WorkerLog.RunFinished(logger, run.RunId, status.ToString(), duration.TotalSeconds, finish.InputTokens, finish.OutputTokens, finish.Cost);
            return status;
        }
        finally
        {
            await events.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The run stopped being this attempt's (cancelled, taken over): publish Cancelled if that is why.</summary>
    private async Task<WorkflowRunStatus> AbandonAsync(
        RunExecution run, RunEventStream events, Activity? activity, CancellationToken cancellationToken, WorkflowRunStatus? known = null)
    {
        var status = known ?? await store.GetStatusAsync(run.RunId, cancellationToken).ConfigureAwait(false) ?? WorkflowRunStatus.Failed;
        activity?.SetTag("workflow.status", status.ToString());
        WorkerLog.RunLost(logger, run.RunId, run.Attempt, status.ToString());
        if (status == WorkflowRunStatus.Cancelled)
        {
            events.Publish(WorkflowEventType.Cancelled, new CancelledPayload());
        }

        return status;
    }

    /// <summary>
    /// Runs the DAG from the steps already <paramref name="started"/>: each finished model call is stored in one
    /// statement that also starts the steps it made ready (at most <c>MaxParallelSteps</c> running); a failed step
    /// skips its dependents, the other branches go on. The last step's statement also completes the run. Returns why
    /// the run fails (null when every step completed) and the run's totals when the last step completed it.
    /// </summary>
    private async Task<(string? Failure, RunFinish? Finish)> ExecuteStepsAsync(RunExecution run, StepGraph graph, IReadOnlyList<string> started, RunEventStream events, CancellationToken cancellationToken)
    {
        var running = new List<Task<StepOutcome>>();
        var failures = new List<string>();
        var lost = false;
        RunFinish? finish = null;

        void Launch(IReadOnlyList<string> keys)
        {
            foreach (var key in keys)
            {
                graph.MarkRunning(key);
                running.Add(steps.CallAsync(run, graph[key], graph.Outputs, events, cancellationToken));
            }
        }

        Launch(started);
        while (running.Count > 0)
        {
            var finished = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(finished);
            var outcome = await finished.ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                graph.Complete(outcome.Step.Id, response.Text);
                var next = lost ? [] : graph.Ready(_maxParallelSteps - running.Count);
                var last = !lost && failures.Count == 0 && running.Count == 0 && graph.AllCompleted;
                var completion = await steps.CompleteAsync(run, outcome, next, last, events, cancellationToken).ConfigureAwait(false);
                if (completion is null)
                {
                    lost = true;
                    failures.Add($"Step '{outcome.Step.Id}' could not be stored: the run is no longer this execution's (cancelled or taken over).");
                    continue;
                }

                finish = completion.Finish;
                graph.Unclaim(next.Except(completion.Started, StringComparer.Ordinal));
                Launch(completion.Started);
            }
            else
            {
                var skip = graph.Fail(outcome.Step.Id);
                failures.Add($"Step '{outcome.Step.Id}' failed: {outcome.Error}");
                await steps.FailAsync(run, outcome, skip, events, cancellationToken).ConfigureAwait(false);
                if (!lost && running.Count < _maxParallelSteps && graph.Ready(_maxParallelSteps - running.Count) is { Count: > 0 } ready)
                {
                    var startedNow = await store.StartStepsAsync(run, ready, cancellationToken).ConfigureAwait(false);
                    graph.Unclaim(ready.Except(startedNow, StringComparer.Ordinal));
                    Launch(startedNow);
                }
            }
        }

        if (failures.Count == 0 && !graph.AllCompleted)
        {
            failures.Add("Some steps never became ready.");
        }

        return failures.Count == 0 ? (null, finish) : (string.Join(" ", failures), null);
    }
}
