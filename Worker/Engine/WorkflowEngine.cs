using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observability.Worker.Events;
using Observability.Worker.Jobs;
using Observability.Worker.Llm;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Worker.Engine;

/// <summary>
/// Executes a Running run: plan, route, validate, record the plan, then run the steps in dependency order (in
/// parallel where the DAG allows, at most <c>Workflows:Worker:MaxParallelSteps</c> at once), each asking the model.
/// A failed step skips its dependents and fails the run. Publishes the run's events and checks the thresholds.
/// </summary>
internal sealed class WorkflowEngine(
    IServiceScopeFactory scopes,
    WorkflowPlanner planner,
    ILlmClient llm,
    WorkflowEventPublisher publisher,
    PerformanceMonitor monitor,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<WorkflowEngine> logger)
{
    private readonly int _maxParallelSteps = options.Value.MaxParallelSteps;

    /// <summary>Runs <paramref name="runId"/> (already moved to Running) to Completed or Failed; returns the final status.</summary>
    public async Task<WorkflowRunStatus> ExecuteAsync(Guid runId, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var run = await InScopeAsync<WorkflowsDbContext, WorkflowRun?>(db => db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken))
            .ConfigureAwait(false) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.run");
        activity?.SetTag("workflow.run.id", runId.ToString());
        using var events = await publisher.OpenAsync(runId, run.SessionId, cancellationToken).ConfigureAwait(false);
        if (events.LastEventBefore is null)
        {
            // Nothing published for this run yet (the Gateway does not publish Queued): say it was queued, when and how often tried.
            await events.PublishAsync(WorkflowEventType.Queued, new JsonObject { ["queuedAt"] = run.CreatedAt, ["attempt"] = run.AttemptCount }, cancellationToken).ConfigureAwait(false);
        }

        var totals = new RunTotals();
        WorkflowPlan? plan = null;
        PlanValidation validation;
        try
        {
            var (planned, planResponse) = await planner.PlanAsync(run, cancellationToken).ConfigureAwait(false);
            totals.Add(planResponse);
            plan = AgentRouter.Route(planned, run.Agent);
            validation = PlanValidator.Validate(plan);
        }
        catch (LlmException e)
        {
            validation = new PlanValidation(false, 0, [$"Planning failed: the LLM call failed with {e.ErrorType}."]);
        }

        activity?.SetTag("workflow.quality_score", validation.QualityScore);
        var status = WorkflowRunStatus.Failed;
        if (plan is not null && validation.IsSolvable)
        {
            var recorded = await InScopeAsync<WorkflowRunStore, TransitionResult>(store => store.RecordPlanAsync(runId, plan, validation.QualityScore, cancellationToken)).ConfigureAwait(false);
            if (!recorded.Applied)
            {
                // Cancelled (or changed) meanwhile: the run is no longer ours to execute.
                if (recorded.Status == WorkflowRunStatus.Cancelled)
                {
                    await events.PublishAsync(WorkflowEventType.Cancelled, new JsonObject { ["status"] = nameof(WorkflowRunStatus.Cancelled) }, cancellationToken).ConfigureAwait(false);
                }

                return recorded.Status ?? WorkflowRunStatus.Failed;
            }

            await events.PublishAsync(WorkflowEventType.Planned, PlanPayload(plan, validation), cancellationToken).ConfigureAwait(false);
            var succeeded = await ExecuteStepsAsync(run, plan, events, totals, cancellationToken).ConfigureAwait(false);
            status = succeeded ? WorkflowRunStatus.Completed : WorkflowRunStatus.Failed;
        }

        var (inputTokens, outputTokens, cost) = totals.Snapshot();
        var finished = status == WorkflowRunStatus.Completed
            ? await InScopeAsync<WorkflowRunStore, TransitionResult>(store => store.CompleteAsync(runId, inputTokens, outputTokens, cost, cancellationToken)).ConfigureAwait(false)
            : await InScopeAsync<WorkflowRunStore, TransitionResult>(store => store.FailAsync(runId, cancellationToken)).ConfigureAwait(false);
        status = finished.Status ?? status;

        var duration = timeProvider.GetElapsedTime(started);
        var statusTag = new KeyValuePair<string, object?>("workflow.status", status.ToString());
        telemetry.WorkflowDuration.Record(duration.TotalSeconds, statusTag);
        telemetry.WorkflowCost.Record((double)cost, statusTag);
        telemetry.Workflows.Add(1, statusTag);
        activity?.SetTag("workflow.status", status.ToString());
        if (status != WorkflowRunStatus.Completed)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        await monitor.CheckWorkflowAsync(events, duration, cost, status != WorkflowRunStatus.Completed, cancellationToken).ConfigureAwait(false);
        await events.PublishAsync(
            status switch
            {
                WorkflowRunStatus.Completed => WorkflowEventType.Completed,
                WorkflowRunStatus.Cancelled => WorkflowEventType.Cancelled,
                _ => WorkflowEventType.Failed,
            },
            new JsonObject
            {
                ["status"] = status.ToString(),
                ["inputTokens"] = inputTokens,
                ["outputTokens"] = outputTokens,
                ["cost"] = cost,
                ["durationSeconds"] = duration.TotalSeconds,
                ["problems"] = new JsonArray([.. validation.Problems.Select(p => JsonValue.Create(p))]),
            },
            cancellationToken).ConfigureAwait(false);
        WorkerLog.RunFinished(logger, runId, status.ToString());
        return status;
    }

    private async Task<bool> ExecuteStepsAsync(WorkflowRun run, WorkflowPlan plan, RunEventStream events, RunTotals totals, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(_maxParallelSteps, _maxParallelSteps);
        var outputs = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var tasks = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);

        // The validator proved the DAG acyclic, so visiting in plan order after dependencies terminates.
        Task<bool> Schedule(PlannedStep step)
        {
            if (tasks.TryGetValue(step.Id, out var existing))
            {
                return existing;
            }

            var dependencies = step.DependsOn.Select(id => Schedule(plan.Steps.First(s => s.Id == id))).ToArray();
            var task = RunAfterAsync(step, dependencies);
            tasks[step.Id] = task;
            return task;
        }

        async Task<bool> RunAfterAsync(PlannedStep step, Task<bool>[] dependencies)
        {
            var results = await Task.WhenAll(dependencies).ConfigureAwait(false);
            if (results.Any(ok => !ok))
            {
                await InScopeAsync<WorkflowStepStore, bool>(store => store.SkipAsync(run.Id, step.Id, cancellationToken)).ConfigureAwait(false);
                return false;
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await ExecuteStepAsync(run, step, outputs, events, totals, cancellationToken).ConfigureAwait(false);
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
        return all.All(ok => ok);
    }

    private async Task<bool> ExecuteStepAsync(
        WorkflowRun run, PlannedStep step, ConcurrentDictionary<string, string> outputs, RunEventStream events, RunTotals totals, CancellationToken cancellationToken)
    {
        if (!await InScopeAsync<WorkflowStepStore, bool>(store => store.TryStartAsync(run.Id, step.Id, cancellationToken)).ConfigureAwait(false))
        {
            return false;
        }

        using var activity = WorkerTelemetry.Source.StartActivity($"workflow.step {step.Id}");
        activity?.SetTag("workflow.step.key", step.Id);
        activity?.SetTag("workflow.step.agent", step.Agent);
        var started = timeProvider.GetTimestamp();
        await events.PublishAsync(WorkflowEventType.StepStarted, new JsonObject { ["step"] = step.Id, ["agent"] = step.Agent }, cancellationToken).ConfigureAwait(false);

        var context = string.Join("\n", step.DependsOn.Select(id => outputs.TryGetValue(id, out var text) ? $"[{id}] {text}" : ""));
        LlmResponse response;
        var callStarted = timeProvider.GetTimestamp();
        try
        {
            response = await llm.CompleteAsync(new LlmRequest
            {
                Model = run.Model,
                Messages =
                [
                    LlmMessage.System($"You are the {step.Agent} agent. Task: {run.Task}"),
                    LlmMessage.User(context.Length == 0 ? step.Description : $"{step.Description}\nEarlier results:\n{context}"),
                ],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (LlmException e)
        {
            WorkerLog.StepFailed(logger, run.Id, step.Id, e);
            activity?.SetStatus(ActivityStatusCode.Error, e.ErrorType);
            activity?.SetTag("error.type", e.ErrorType);
            await InScopeAsync<WorkflowStepStore, bool>(store => store.FailAsync(run.Id, step.Id, $"LLM call failed: {e.ErrorType}", cancellationToken)).ConfigureAwait(false);
            RecordStepDuration(started, "Failed");
            await events.PublishAsync(WorkflowEventType.StepCompleted, new JsonObject { ["step"] = step.Id, ["status"] = "Failed", ["error"] = e.ErrorType }, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var callDuration = timeProvider.GetElapsedTime(callStarted);
        var cost = response.CostUsd ?? 0m;
        totals.Add(response);
        outputs[step.Id] = response.Text;
        await events.PublishAsync(WorkflowEventType.LlmCall, new JsonObject
        {
            ["step"] = step.Id,
            ["model"] = response.ResponseModel,
            ["inputTokens"] = response.InputTokens,
            ["outputTokens"] = response.OutputTokens,
            ["cost"] = cost,
            ["durationSeconds"] = callDuration.TotalSeconds,
        }, cancellationToken).ConfigureAwait(false);
        await monitor.CheckLlmCallAsync(events, callDuration, cancellationToken).ConfigureAwait(false);

        await InScopeAsync<WorkflowStepStore, bool>(store => store.CompleteAsync(run.Id, step.Id, response.InputTokens, response.OutputTokens, cost, cancellationToken)).ConfigureAwait(false);
        var duration = RecordStepDuration(started, "Completed");
        await events.PublishAsync(WorkflowEventType.StepCompleted, new JsonObject
        {
            ["step"] = step.Id,
            ["status"] = "Completed",
            ["inputTokens"] = response.InputTokens,
            ["outputTokens"] = response.OutputTokens,
            ["cost"] = cost,
        }, cancellationToken).ConfigureAwait(false);
        await monitor.CheckStepAsync(events, duration, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private TimeSpan RecordStepDuration(long started, string status)
    {
        var duration = timeProvider.GetElapsedTime(started);
        telemetry.StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("workflow.step.status", status));
        return duration;
    }

    private static JsonObject PlanPayload(WorkflowPlan plan, PlanValidation validation) => new()
    {
        ["qualityScore"] = validation.QualityScore,
        ["steps"] = new JsonArray([.. plan.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id,
            ["description"] = s.Description,
            ["dependsOn"] = new JsonArray([.. s.DependsOn.Select(d => JsonValue.Create(d))]),
            ["agent"] = s.Agent,
            ["explanation"] = s.Explanation,
        })]),
    };

    private async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await action(scope.ServiceProvider.GetRequiredService<TService>()).ConfigureAwait(false);
        }
    }
}
