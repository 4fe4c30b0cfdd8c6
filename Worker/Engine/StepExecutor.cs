using System.Collections.Concurrent;
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
/// Executes one step: Pending → Running (fenced by the run's attempt), the model call, retried on transient failures
/// (429, 5xx, timeout) up to <c>Workflows:Worker:StepRetries</c> times with a doubling delay from
/// <c>StepRetryDelay</c> (or the 429's Retry-After when longer), then Completed with its tokens and cost, or Failed
/// with the error. Publishes the step's events and checks its thresholds.
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

    /// <summary>Null when the step completed; else why it did not (the run fails with that reason).</summary>
    public async Task<string?> ExecuteAsync(
        RunExecution run, PlannedStep step, ConcurrentDictionary<string, string> outputs, RunEventStream events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(events);
        if (!await store.TryStartStepAsync(run, step.Id, cancellationToken).ConfigureAwait(false))
        {
            return $"Step '{step.Id}' could not start: the run is no longer this execution's (cancelled or taken over).";
        }

        using var activity = WorkerTelemetry.Source.StartActivity($"workflow.step {step.Id}");
        activity?.SetTag("workflow.step.key", step.Id);
        activity?.SetTag("workflow.step.agent", step.Agent);
        var started = timeProvider.GetTimestamp();
        events.Publish(WorkflowEventType.StepStarted, new JsonObject { ["step"] = step.Id, ["agent"] = step.Agent });

        var request = Request(run, step, outputs);
        LlmResponse response;
        var callStarted = timeProvider.GetTimestamp();
        for (var retry = 0; ; retry++)
        {
            try
            {
                callStarted = timeProvider.GetTimestamp();
                response = await llm.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
                break;
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
                await store.FailStepAsync(run, step.Id, error, cancellationToken).ConfigureAwait(false);
                Record(started, "Failed");
                events.Publish(WorkflowEventType.StepCompleted, new JsonObject { ["step"] = step.Id, ["status"] = "Failed", ["error"] = error });
                return $"Step '{step.Id}' failed: {error}";
            }
        }

        var callDuration = timeProvider.GetElapsedTime(callStarted);
        var cost = response.CostUsd ?? 0m;
        outputs[step.Id] = response.Text;
        events.Publish(WorkflowEventType.LlmCall, new JsonObject
        {
            ["step"] = step.Id,
            ["model"] = response.ResponseModel,
            ["inputTokens"] = response.InputTokens,
            ["outputTokens"] = response.OutputTokens,
            ["cost"] = cost,
            ["durationSeconds"] = callDuration.TotalSeconds,
        });
        await monitor.CheckLlmCallAsync(events, callDuration, cancellationToken).ConfigureAwait(false);

        if (!await store.CompleteStepAsync(run, step.Id, response.InputTokens, response.OutputTokens, cost, cancellationToken).ConfigureAwait(false))
        {
            return $"Step '{step.Id}' could not complete: the run is no longer this execution's (cancelled or taken over).";
        }

        var duration = Record(started, "Completed");
        events.Publish(WorkflowEventType.StepCompleted, new JsonObject
        {
            ["step"] = step.Id,
            ["status"] = "Completed",
            ["inputTokens"] = response.InputTokens,
            ["outputTokens"] = response.OutputTokens,
            ["cost"] = cost,
        });
        await monitor.CheckStepAsync(events, duration, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static LlmRequest Request(RunExecution run, PlannedStep step, ConcurrentDictionary<string, string> outputs)
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
