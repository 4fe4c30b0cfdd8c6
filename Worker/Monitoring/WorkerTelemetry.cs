using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Observability.Workflows.Alerts;
using Observability.Workflows.Runs;

namespace Observability.Worker.Monitoring;

/// <summary>
/// The Worker's ActivitySource and Meter (<c>Observability.Worker</c>): workflow, step and queue instruments. The
/// queue gauges report the last sample the consumer took (<see cref="RecordQueueSample"/>). The performance monitor's
/// breaches (<c>workflow.alerts</c>, per <see cref="AlertKind"/>), its limits (<c>workflow.alert.threshold</c>) and the
/// dead letters (<c>workflow.jobs.dead_letters</c>) are observable and reported from the start, zeros included, so an
/// alert rule on them has a series before the first event.
/// </summary>
internal sealed class WorkerTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "Observability.Worker";

    /// <summary>The spans of the job consumer and the workflow engine.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly AlertKind[] AlertKinds = Enum.GetValues<AlertKind>();

    private static readonly IReadOnlyList<double> QualityBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

    private readonly Histogram<double> _qualityScore;
    private readonly Counter<long> _routingDecisions;
    private readonly long[] _alerts = new long[AlertKinds.Length];
    private long _deadLetters;
    private long _queueDepth;
    private long _pending;
    private long _lag;

    public WorkerTelemetry(IMeterFactory meterFactory, IOptions<PerformanceThresholdsOptions> thresholds)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(thresholds);
        var meter = meterFactory.Create(Name);
        WorkflowDuration = meter.CreateHistogram<double>("workflow.duration", "s", "Duration of workflow runs, by workflow.status.");
        WorkflowCost = meter.CreateHistogram<double>("workflow.cost", "USD", "Cost of workflow runs from the LLM prices.");
        Workflows = meter.CreateCounter<long>("workflow.runs", "{run}", "Workflow runs finished, by workflow.status.");
        StepDuration = meter.CreateHistogram<double>("workflow.step.duration", "s", "Duration of workflow steps, by workflow.step.status.");
        _qualityScore = meter.CreateHistogram("workflow.plan.quality_score", "1", "The plan validator's quality score (0-1) of each new plan.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QualityBuckets });
        _routingDecisions = meter.CreateCounter<long>("workflow.route.decisions", "{step}", "Steps the router assigned, by workflow.agent.");
        meter.CreateObservableCounter("workflow.jobs.dead_letters", () => Interlocked.Read(ref _deadLetters), "{job}", "Jobs moved to the dead-letter stream.");
        meter.CreateObservableCounter("workflow.alerts", ObserveAlerts, "{alert}", "Performance thresholds crossed, by workflow.alert.kind.");
        var limits = Thresholds(thresholds.Value);
        meter.CreateObservableGauge("workflow.alert.threshold", () => limits, description:
            "The performance monitor's limit for each workflow.alert.kind (Workflows:Thresholds): seconds for durations, USD for cost, a ratio for the error rate.");
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

    public Counter<long> AlertWriteFailures { get; }

    public Counter<long> EventPublishFailures { get; }

    /// <summary>Records a new plan's quality score and the agent the router chose for each of its steps.</summary>
    public void RecordPlan(WorkflowPlan plan, double qualityScore)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _qualityScore.Record(qualityScore);
        foreach (var step in plan.Steps)
        {
            _routingDecisions.Add(1, new KeyValuePair<string, object?>("workflow.agent", step.Agent));
        }
    }

    /// <summary>Counts one job moved to the dead-letter stream.</summary>
    public void RecordDeadLetter() => Interlocked.Increment(ref _deadLetters);

    /// <summary>Counts one breach of <paramref name="kind"/>'s threshold.</summary>
    public void RecordAlert(AlertKind kind) => Interlocked.Increment(ref _alerts[Array.IndexOf(AlertKinds, kind)]);

    public void RecordQueueSample(long depth, long pending, long lag)
    {
        Volatile.Write(ref _queueDepth, depth);
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _lag, lag);
    }

    private static Measurement<double>[] Thresholds(PerformanceThresholdsOptions options) =>
    [
        Limit(AlertKind.WorkflowDuration, options.WorkflowDuration.TotalSeconds),
        Limit(AlertKind.StepDuration, options.StepDuration.TotalSeconds),
        Limit(AlertKind.LlmCallDuration, options.LlmCallDuration.TotalSeconds),
        Limit(AlertKind.CostPerWorkflow, (double)options.CostPerWorkflow),
        Limit(AlertKind.ErrorRate, options.ErrorRate),
    ];

    private static Measurement<double> Limit(AlertKind kind, double value) => new(value, KindTag(kind));

    private static KeyValuePair<string, object?> KindTag(AlertKind kind) => new("workflow.alert.kind", kind.ToString());

    private IEnumerable<Measurement<long>> ObserveAlerts()
    {
        for (var i = 0; i < AlertKinds.Length; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref _alerts[i]), KindTag(AlertKinds[i]));
        }
    }
}
