using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Observability.Worker.Monitoring;

/// <summary>
/// The Worker's ActivitySource and Meter (<c>Observability.Worker</c>): workflow, step and queue instruments. The
/// queue gauges report the last sample the consumer took (<see cref="RecordQueueSample"/>).
/// </summary>
internal sealed class WorkerTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "Observability.Worker";

    /// <summary>The spans of the job consumer and the workflow engine.</summary>
    public static readonly ActivitySource Source = new(Name);

    private long _queueDepth;
    private long _pending;
    private long _lag;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        WorkflowDuration = meter.CreateHistogram<double>("workflow.duration", "s", "Duration of workflow runs, by workflow.status.");
        WorkflowCost = meter.CreateHistogram<double>("workflow.cost", "USD", "Cost of workflow runs from the LLM prices.");
        Workflows = meter.CreateCounter<long>("workflow.runs", "{run}", "Workflow runs finished, by workflow.status.");
        StepDuration = meter.CreateHistogram<double>("workflow.step.duration", "s", "Duration of workflow steps, by workflow.step.status.");
        DeadLetters = meter.CreateCounter<long>("workflow.jobs.dead_letters", "{job}", "Jobs moved to the dead-letter stream.");
        Alerts = meter.CreateCounter<long>("workflow.alerts", "{alert}", "Performance thresholds crossed, by workflow.alert.kind.");
        AlertWriteFailures = meter.CreateCounter<long>("workflow.alerts.write_failures", "{alert}", "Alerts that could not be stored, by workflow.alert.kind.");
        EventPublishFailures = meter.CreateCounter<long>("workflow.events.publish_failures", "{event}", "Run events that could not be appended to Redis, by workflow.event.type.");
        meter.CreateObservableGauge("workflow.jobs.queue.depth", () => Volatile.Read(ref _queueDepth), "{job}", "Entries in the job stream (XLEN).");
        meter.CreateObservableGauge("workflow.jobs.pending", () => Volatile.Read(ref _pending), "{job}", "Jobs delivered but not acknowledged (XPENDING).");
        meter.CreateObservableGauge("workflow.jobs.lag", () => Volatile.Read(ref _lag), "{job}", "Jobs not yet delivered to the consumer group (XINFO GROUPS lag).");
    }

    public Histogram<double> WorkflowDuration { get; }

    public Histogram<double> WorkflowCost { get; }

    public Counter<long> Workflows { get; }

    public Histogram<double> StepDuration { get; }

    public Counter<long> DeadLetters { get; }

    public Counter<long> Alerts { get; }

    public Counter<long> AlertWriteFailures { get; }

    public Counter<long> EventPublishFailures { get; }

    public void RecordQueueSample(long depth, long pending, long lag)
    {
        Volatile.Write(ref _queueDepth, depth);
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _lag, lag);
    }
}
