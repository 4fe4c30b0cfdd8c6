using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observability.Worker.Events;
using Observability.Workflows.Alerts;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Monitoring;

/// <summary>
/// Compares what the engine observed with <see cref="PerformanceThresholdsOptions"/>; each breach is stored as an
/// <see cref="Alert"/>, counted in <c>workflow.alerts</c> and published as an <see cref="WorkflowEventType.Alert"/> event.
/// </summary>
internal sealed class PerformanceMonitor(
    IOptions<PerformanceThresholdsOptions> options,
    IServiceScopeFactory scopes,
    WorkerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<PerformanceMonitor> logger)
{
    private readonly PerformanceThresholdsOptions _thresholds = options.Value;
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, bool Failed)> _outcomes = new();
    private int _failedInWindow;

    public Task CheckLlmCallAsync(RunEventStream events, TimeSpan duration, CancellationToken cancellationToken)
        => duration > _thresholds.LlmCallDuration
            ? RaiseAsync(events, AlertKind.LlmCallDuration, _thresholds.LlmCallDuration.TotalSeconds, duration.TotalSeconds, cancellationToken)
            : Task.CompletedTask;

    public Task CheckStepAsync(RunEventStream events, TimeSpan duration, CancellationToken cancellationToken)
        => duration > _thresholds.StepDuration
            ? RaiseAsync(events, AlertKind.StepDuration, _thresholds.StepDuration.TotalSeconds, duration.TotalSeconds, cancellationToken)
            : Task.CompletedTask;

    /// <summary>Checks a finished run's duration and cost, then the error rate of the window it joins.</summary>
    public async Task CheckWorkflowAsync(RunEventStream events, TimeSpan duration, decimal cost, bool failed, CancellationToken cancellationToken)
    {
        if (duration > _thresholds.WorkflowDuration)
        {
            await RaiseAsync(events, AlertKind.WorkflowDuration, _thresholds.WorkflowDuration.TotalSeconds, duration.TotalSeconds, cancellationToken).ConfigureAwait(false);
        }

        if (cost > _thresholds.CostPerWorkflow)
        {
            await RaiseAsync(events, AlertKind.CostPerWorkflow, (double)_thresholds.CostPerWorkflow, (double)cost, cancellationToken).ConfigureAwait(false);
        }

        if (RecordOutcome(failed) is { } rate)
        {
            await RaiseAsync(events, AlertKind.ErrorRate, _thresholds.ErrorRate, rate, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the outcome to the window; returns the error rate when it is judged and too high.</summary>
    private double? RecordOutcome(bool failed)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            _outcomes.Enqueue((now, failed));
            _failedInWindow += failed ? 1 : 0;
            while (_outcomes.Count > 0 && now - _outcomes.Peek().At > _thresholds.ErrorRateWindow)
            {
                _failedInWindow -= _outcomes.Dequeue().Failed ? 1 : 0;
            }

            if (_outcomes.Count < _thresholds.ErrorRateMinimumRuns)
            {
                return null;
            }

            var rate = (double)_failedInWindow / _outcomes.Count;
            return failed && rate > _thresholds.ErrorRate ? rate : null;
        }
    }

    private async Task RaiseAsync(RunEventStream events, AlertKind kind, double threshold, double observed, CancellationToken cancellationToken)
    {
        // An error rate is about the fleet, not the run that tipped it: stored without a run id.
        Guid? runId = kind == AlertKind.ErrorRate ? null : events.RunId;
        var kindTag = new KeyValuePair<string, object?>("workflow.alert.kind", kind.ToString());
        WorkerLog.AlertRaised(logger, kind, observed, threshold, runId);
        telemetry.RecordAlert(kind);
        Guid? alertId = null;
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var alert = await scope.ServiceProvider.GetRequiredService<AlertStore>()
                    .RecordAsync(runId, kind, threshold, observed, cancellationToken).ConfigureAwait(false);
                alertId = alert.Id;
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException or TimeoutException)
        {
            // The alert is a report about the run, not part of it: a failed write never fails the job.
            telemetry.AlertWriteFailures.Add(1, kindTag);
            WorkerLog.AlertWriteFailed(logger, kind, runId, e);
        }

        events.Publish(WorkflowEventType.Alert, new AlertPayload(kind, threshold, observed, alertId));
    }
}
