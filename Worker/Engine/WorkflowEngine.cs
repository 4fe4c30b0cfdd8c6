using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Observability.Worker.Events;
using Observability.Worker.Jobs;
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
                // Nothing published for this run yet (the Gateway does not publish Queued): say it was queued, and when.
                events.Publish(WorkflowEventType.Queued, new JsonObject { ["queuedAt"] = run.CreatedAt, ["attempt"] = run.Attempt });
            }

            WorkflowPlan plan;
            IReadOnlySet<string> completed;
            if (run.Plan is null)
            {
                var outcome = await planner.PlanAsync(run, cancellationToken).ConfigureAwait(false);
                plan = outcome.Plan;
                activity?.SetTag("workflow.quality_score", outcome.Validation.QualityScore);
                var recorded = await store.TryRecordPlanAsync(
                    run, plan, outcome.Validation.QualityScore, outcome.Response?.InputTokens ?? 0, outcome.Response?.OutputTokens ?? 0,
                    outcome.Response?.CostUsd ?? 0m, cancellationToken).ConfigureAwait(false);
                if (!recorded)
                {
                    return await AbandonAsync(run, events, activity, cancellationToken).ConfigureAwait(false);
                }

                events.Publish(WorkflowEventType.Planned, PlanPayload(plan, outcome.Validation));
                completed = new HashSet<string>();
            }
            else
            {
                plan = run.Plan;
                completed = await store.ResumeStepsAsync(run, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("workflow.run.resumed_steps", completed.Count);
                WorkerLog.Resumed(logger, run.RunId, run.Attempt, completed.Count);
            }

            var failure = await ExecuteStepsAsync(run, plan, completed, events, cancellationToken).ConfigureAwait(false);
            var finish = await store.FinishAsync(run, failure is null ? WorkflowRunStatus.Completed : WorkflowRunStatus.Failed, cancellationToken).ConfigureAwait(false);
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
            if (failure is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, failure);
            }

            await monitor.CheckWorkflowAsync(events, duration, finish.Cost, failure is not null, cancellationToken).ConfigureAwait(false);
            var payload = new JsonObject
            {
                ["status"] = status.ToString(),
                ["inputTokens"] = finish.InputTokens,
                ["outputTokens"] = finish.OutputTokens,
                ["cost"] = finish.Cost,
                ["durationSeconds"] = duration.TotalSeconds,
                ["attempt"] = run.Attempt,
            };
            if (failure is not null)
            {
                payload["reason"] = failure;
            }

            events.Publish(status == WorkflowRunStatus.Completed ? WorkflowEventType.Completed : WorkflowEventType.Failed, payload);
            WorkerLog.RunFinished(logger, run.RunId, status.ToString());
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
            events.Publish(WorkflowEventType.Cancelled, new JsonObject { ["status"] = nameof(WorkflowRunStatus.Cancelled) });
        }

        return status;
    }

    /// <summary>Runs the DAG; null when every step completed, else the reason the run fails.</summary>
    private async Task<string?> ExecuteStepsAsync(RunExecution run, WorkflowPlan plan, IReadOnlySet<string> completed, RunEventStream events, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(_maxParallelSteps, _maxParallelSteps);
        var outputs = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        var tasks = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
        var byId = plan.Steps.ToDictionary(s => s.Id, StringComparer.Ordinal);

        // The validator proved the DAG acyclic, so visiting in plan order after dependencies terminates.
        Task<bool> Schedule(PlannedStep step)
        {
            if (tasks.TryGetValue(step.Id, out var existing))
            {
                return existing;
            }

            Task<bool> task;
            if (completed.Contains(step.Id))
            {
                // Completed by an earlier attempt: its output was not kept, its dependents are told so.
                outputs[step.Id] = "(completed in an earlier attempt)";
                task = Task.FromResult(true);
            }
            else
            {
                var dependencies = step.DependsOn.Select(id => Schedule(byId[id])).ToArray();
                task = RunAfterAsync(step, dependencies);
            }

            tasks[step.Id] = task;
            return task;
        }

        async Task<bool> RunAfterAsync(PlannedStep step, Task<bool>[] dependencies)
        {
            var results = dependencies.Length == 0 ? [] : await Task.WhenAll(dependencies).ConfigureAwait(false);
            if (results.Any(ok => !ok))
            {
                await store.SkipStepAsync(run, step.Id, cancellationToken).ConfigureAwait(false);
                return false;
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var failure = await steps.ExecuteAsync(run, step, outputs, events, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    failures.Enqueue(failure);
                }

                return failure is null;
            }
            finally
            {
                gate.Release();
            }
        }

        foreach (var step in plan.Steps)
        {
            _ = Schedule(step);
        }

        var all = await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return all.All(ok => ok) ? null : string.Join(" ", failures);
    }

    private static JsonObject PlanPayload(WorkflowPlan plan, PlanValidation validation)
    {
        var payload = new JsonObject
        {
            ["qualityScore"] = validation.QualityScore,
            ["source"] = plan.Source,
            ["steps"] = new JsonArray([.. plan.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["description"] = s.Description,
                ["dependsOn"] = new JsonArray([.. s.DependsOn.Select(d => JsonValue.Create(d))]),
                ["agent"] = s.Agent,
                ["explanation"] = s.Explanation,
            })]),
        };
        if (plan.FallbackReason is { } reason)
        {
            payload["fallbackReason"] = reason;
        }

        return payload;
    }
}
