using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Observability.Worker.Events;
using Observability.Worker.Jobs;
using Observability.Worker.Llm;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Runs one started step's model call: the <c>workflow.step {key}</c> span, the StepStarted and LlmCall events, the
/// call retried on transient failures (429, 5xx, timeout) up to <c>Workflows:Worker:StepRetries</c> times with a
/// doubling delay from <c>StepRetryDelay</c> (or the 429's Retry-After when longer), and the LLM call threshold.
/// The engine stores the outcome (<see cref="CompleteAsync"/> / <see cref="FailAsync"/>), starting what it made ready.
/// </summary>
internal sealed class StepExecutor(
    RunExecutionStore store,
    ILlmClient llm,
    PerformanceMonitor monitor,
    WorkerTelemetry telemetry,
    IOptions<JobConsumerOptions> options,
    TimeProvider timeProvider,
    ILogger<StepExecutor> logger)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    private readonly JobConsumerOptions _options = options.Value;

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
            activity?.SetTag("workflow.step.key", step.Id);
            activity?.SetTag("workflow.step.agent", step.Agent);
            var started = timeProvider.GetTimestamp();
            events.Publish(WorkflowEventType.StepStarted, new JsonObject { ["step"] = step.Id, ["agent"] = step.Agent });
            var request = Request(run, step, outputs);
            for (var retry = 0; ; retry++)
            {
                var callStarted = timeProvider.GetTimestamp();
                try
                {
                    var response = await llm.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
                    var callDuration = timeProvider.GetElapsedTime(callStarted);
                    events.Publish(WorkflowEventType.LlmCall, new JsonObject
                    {
                        ["step"] = step.Id,
                        ["model"] = response.ResponseModel,
                        ["inputTokens"] = response.InputTokens,
                        ["outputTokens"] = response.OutputTokens,
                        ["cost"] = response.CostUsd ?? 0m,
                        ["durationSeconds"] = callDuration.TotalSeconds,
                    });
                    await monitor.CheckLlmCallAsync(events, callDuration, cancellationToken).ConfigureAwait(false);
                    return new StepOutcome(step, response, null, started, activity);
                }
                catch (LlmException e) when (IsTransient(e) && retry < _options.StepRetries)
                {
                    var delay = RetryDelay(e, retry);
                    WorkerLog.StepRetrying(logger, run.RunId, step.Id, e.ErrorType, retry + 1, delay);
                    activity?.AddEvent(new ActivityEvent("workflow.step.retry", tags: new ActivityTagsCollection
                    {
                        ["error.type"] = e.ErrorType,
                        ["workflow.step.retry"] = retry + 1,
                    }));
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (LlmException e)
                {
                    var error = $"LLM call failed: {e.ErrorType} after {retry + 1} attempt(s).";
                    WorkerLog.StepFailed(logger, run.RunId, step.Id, e);
                    activity?.SetStatus(ActivityStatusCode.Error, error);
                    activity?.SetTag("error.type", e.ErrorType);
                    return new StepOutcome(step, null, error, started, activity);
                }
            }
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
        events.Publish(WorkflowEventType.StepCompleted, new JsonObject
        {
            ["step"] = outcome.Step.Id,
            ["status"] = "Completed",
            ["inputTokens"] = response.InputTokens,
            ["outputTokens"] = response.OutputTokens,
            ["cost"] = cost,
        }, activity);
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
        events.Publish(WorkflowEventType.StepCompleted, new JsonObject { ["step"] = outcome.Step.Id, ["status"] = "Failed", ["error"] = error }, activity);
    }

    private static LlmRequest Request(RunExecution run, PlannedStep step, IReadOnlyDictionary<string, string> outputs)
    {
        var context = string.Join("\n", step.DependsOn.Select(id => outputs.TryGetValue(id, out var text) ? $"[{id}] {text}" : ""));
        return new LlmRequest
        {
            Model = run.Model,
            Messages =
            [
                LlmMessage.System($"You are the {step.Agent} agent. Task: {run.Task}"),
                LlmMessage.User(context.Length == 0 ? step.Description : $"{step.Description}\nEarlier results:\n{context}"),
            ],
        };
    }

    private static bool IsTransient(LlmException e) => e is LlmRateLimitedException or LlmServerException or LlmTimeoutException;

    private TimeSpan RetryDelay(LlmException e, int retry)
    {
        var backoff = _options.StepRetryDelay * Math.Pow(2, retry);
        if (e is LlmRateLimitedException { RetryAfter: { } retryAfter } && retryAfter > backoff)
        {
            backoff = retryAfter;
        }

        return backoff > MaxRetryDelay ? MaxRetryDelay : backoff;
    }

    private TimeSpan Record(long started, string status)
    {
        var duration = timeProvider.GetElapsedTime(started);
        telemetry.StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("workflow.step.status", status));
        return duration;
    }
}
