using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Observability.Worker.Events;
using Observability.Worker.Llm;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Runs one started step's model call: the <c>workflow.step {key}</c> span (agent, routing explanation, tokens and
/// cost of the step), the StepStarted and LlmCall events, and the LLM call threshold. Retries, timeouts and the
/// circuit breaker belong to the chat client's pipeline (<c>Llm:Resilience</c>); a call that still fails fails the
/// step. The engine stores the outcome (<see cref="CompleteAsync"/> / <see cref="FailAsync"/>), starting what it made ready.
/// </summary>
internal sealed class StepExecutor(
    RunExecutionStore store,
    IChatClient llm,
    PerformanceMonitor monitor,
    WorkerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<StepExecutor> logger)
{
    /// <summary>Calls the model for a step already stored as Running.</summary>
    public async Task<StepOutcome> CallAsync(
        RunExecution run, PlannedStep step, IReadOnlyDictionary<string, string> outputs, RunEventStream events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(events);
        var activity = WorkerTelemetry.Source.StartActivity($"workflow.step {step.Id}");
        try
        {
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("workflow.step.key", step.Id);
                activity.SetTag("workflow.step.agent", step.Agent);
                activity.SetTag("workflow.route.explanation", step.Explanation);
            }

            var started = timeProvider.GetTimestamp();
            events.Publish(WorkflowEventType.StepStarted, new StepStartedPayload(step.Id, step.Agent));
            ChatResponse response;
            try
            {
                response = await llm.GetResponseAsync(Messages(run, step, outputs), new ChatOptions { ModelId = run.Model }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var errorType = LlmFailure.ErrorType(e);
                var error = $"LLM call failed: {errorType} after {LlmFailure.Attempts(e)} attempt(s).";
                WorkerLog.StepFailed(logger, run.RunId, step.Id, e);
                activity?.SetStatus(ActivityStatusCode.Error, error);
                activity?.SetTag("error.type", errorType);
                return new StepOutcome(step, null, error, started, activity);
            }

            var callDuration = timeProvider.GetElapsedTime(started);
            var cost = response.CostUsd ?? 0m;
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("workflow.step.input_tokens", response.InputTokens);
                activity.SetTag("workflow.step.output_tokens", response.OutputTokens);
                activity.SetTag("workflow.step.cost", (double)cost);
            }

            events.Publish(
                WorkflowEventType.LlmCall,
                new LlmCallPayload(step.Id, response.ModelId ?? run.Model, response.InputTokens, response.OutputTokens, cost, callDuration.TotalSeconds));
            await monitor.CheckLlmCallAsync(events, callDuration, cancellationToken).ConfigureAwait(false);
            return new StepOutcome(step, response, null, started, activity);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stores a successful step as Completed, starting <paramref name="startNext"/> (and finishing the run when
    /// <paramref name="finishRun"/>) in the same statement; publishes StepCompleted and checks the step threshold.
    /// Null when the run is no longer this execution's.
    /// </summary>
    public async Task<StepCompletion?> CompleteAsync(
        RunExecution run, StepOutcome outcome, IReadOnlyCollection<string> startNext, bool finishRun, RunEventStream events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(events);
        var response = outcome.Response ?? throw new ArgumentException("The step has no reply.", nameof(outcome));
        using var activity = outcome.Activity;
        var cost = response.CostUsd ?? 0m;
        var completion = await store.CompleteStepAsync(run, outcome.Step.Id, response.InputTokens, response.OutputTokens, cost, startNext, finishRun, cancellationToken).ConfigureAwait(false);
        if (completion is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "The run is no longer this execution's.");
            return null;
        }

        var duration = Record(outcome.StartedTimestamp, "Completed");
        events.Publish(WorkflowEventType.StepCompleted, new StepCompletedPayload(outcome.Step.Id, response.InputTokens, response.OutputTokens, cost), activity);
        await monitor.CheckStepAsync(events, duration, cancellationToken).ConfigureAwait(false);
        return completion;
    }

    /// <summary>Stores a failed step as Failed and skips <paramref name="skip"/> (its dependents) in the same statement.</summary>
    public async Task FailAsync(RunExecution run, StepOutcome outcome, IReadOnlyCollection<string> skip, RunEventStream events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(events);
        using var activity = outcome.Activity;
        var error = outcome.Error ?? "The step failed.";
        await store.FailStepAsync(run, outcome.Step.Id, error, skip, cancellationToken).ConfigureAwait(false);
        Record(outcome.StartedTimestamp, "Failed");
        events.Publish(WorkflowEventType.StepCompleted, new StepFailedPayload(outcome.Step.Id, error), activity);
    }

    private static ChatMessage[] Messages(RunExecution run, PlannedStep step, IReadOnlyDictionary<string, string> outputs) =>
    [
        new ChatMessage(ChatRole.System, $"You are the {step.Agent} agent. Task: {run.Task}"),
        new ChatMessage(ChatRole.User, Prompt(step, outputs)),
    ];

    /// <summary>
    /// The step's description, then "Earlier results:" and a line <c>[key] output</c> per step it depends on (an empty
    /// line for one without an output). Written into a pooled buffer and allocated once: the earlier outputs are the
    /// largest text a run handles, and joining them piece by piece copied each of them three times.
    /// </summary>
    internal static string Prompt(PlannedStep step, IReadOnlyDictionary<string, string> outputs)
    {
        var length = step.Description.Length + "\nEarlier results:\n".Length + step.DependsOn.Count;
        var found = 0;
        foreach (var id in step.DependsOn)
        {
            if (outputs.TryGetValue(id, out var output))
            {
                length += id.Length + output.Length + 3;
                found++;
            }
        }

        // No earlier results section when nothing would be in it (no dependency, or one without an output).
        if (found == 0 && step.DependsOn.Count <= 1)
        {
            return step.Description;
        }

        var prompt = new DefaultInterpolatedStringHandler(length, 0);
        prompt.AppendFormatted(step.Description);
        prompt.AppendLiteral("\nEarlier results:\n");
        for (var i = 0; i < step.DependsOn.Count; i++)
        {
            if (i > 0)
            {
                prompt.AppendLiteral("\n");
            }

            var id = step.DependsOn[i];
            if (outputs.TryGetValue(id, out var text))
            {
                prompt.AppendLiteral("[");
                prompt.AppendFormatted(id);
                prompt.AppendLiteral("] ");
                prompt.AppendFormatted(text);
            }
        }

        return prompt.ToStringAndClear();
    }

    private TimeSpan Record(long started, string status)
    {
        var duration = timeProvider.GetElapsedTime(started);
        telemetry.StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("workflow.step.status", status));
        return duration;
    }
}
