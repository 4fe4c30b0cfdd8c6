using Observability.Workflows.Alerts;

namespace Observability.Worker;

/// <summary>The Worker's log messages (the LLM layer has its own, <c>LlmLog</c>).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(100, LogLevel.Information, "Job consumer {Consumer} reading {Stream} in group {Group} with concurrency {Concurrency}.")]
    public static partial void ConsumerStarted(ILogger logger, string consumer, string stream, string group, int concurrency);

    [LoggerMessage(101, LogLevel.Warning, "Reading the job stream failed; retrying.")]
    public static partial void ReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(102, LogLevel.Debug, "Job {EntryId} for run {RunId} skipped: the run is not queued (already started or finished).")]
    public static partial void AlreadyStarted(ILogger logger, string entryId, Guid runId);

    [LoggerMessage(103, LogLevel.Warning, "Job {EntryId} dead-lettered: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string entryId, string reason);

    [LoggerMessage(104, LogLevel.Warning, "Job {EntryId} failed on delivery {DeliveryCount}; it stays pending for a retry.")]
    public static partial void JobFailed(ILogger logger, string entryId, long deliveryCount, Exception exception);

    [LoggerMessage(105, LogLevel.Information, "Claimed {Count} jobs idle longer than {MinIdle}.")]
    public static partial void Claimed(ILogger logger, int count, TimeSpan minIdle);

    [LoggerMessage(106, LogLevel.Warning, "Claiming or sampling the job stream failed; retrying.")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(107, LogLevel.Warning, "Shutdown timeout reached with {Count} jobs in flight; they stay pending and will be claimed.")]
    public static partial void ShutdownTimedOut(ILogger logger, int count);

    /// <summary>One line per run, in the run's trace: what an operator filters the structured logs by.</summary>
    [LoggerMessage(108, LogLevel.Information, "Run {RunId} finished {Status} in {DurationSeconds:0.###} s: {InputTokens} input and {OutputTokens} output tokens, cost {Cost} USD.")]
    public static partial void RunFinished(ILogger logger, Guid runId, string status, double durationSeconds, long inputTokens, long outputTokens, decimal cost);

    [LoggerMessage(109, LogLevel.Warning, "Step {StepKey} of run {RunId} failed.")]
    public static partial void StepFailed(ILogger logger, Guid runId, string stepKey, Exception exception);

    [LoggerMessage(110, LogLevel.Warning, "Alert {Kind}: observed {Observed} over threshold {Threshold} (run {RunId}).")]
    public static partial void AlertRaised(ILogger logger, AlertKind kind, double observed, double threshold, Guid? runId);

    [LoggerMessage(111, LogLevel.Information, "Re-enqueued run {RunId} stuck in {Status}.")]
    public static partial void Requeued(ILogger logger, Guid runId, string status);

    [LoggerMessage(112, LogLevel.Warning, "Sweeping stuck runs failed; retrying.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(113, LogLevel.Warning, "Publishing event {Type} of run {RunId} failed.")]
    public static partial void PublishFailed(ILogger logger, Guid runId, string type, Exception exception);

    [LoggerMessage(114, LogLevel.Warning, "Reading the last event of run {RunId} failed; its events are numbered from 1.")]
    public static partial void EventStreamUnreadable(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(115, LogLevel.Error, "Storing alert {Kind} (run {RunId}) failed; the run goes on.")]
    public static partial void AlertWriteFailed(ILogger logger, AlertKind kind, Guid? runId, Exception exception);

    [LoggerMessage(116, LogLevel.Information, "Run {RunId} resumed by attempt {Attempt}: {CompletedSteps} steps already completed are kept.")]
    public static partial void Resumed(ILogger logger, Guid runId, int attempt, int completedSteps);

    [LoggerMessage(117, LogLevel.Information, "Run {RunId} is no longer attempt {Attempt}'s to execute: it is {Status}.")]
    public static partial void RunLost(ILogger logger, Guid runId, int attempt, string status);


    [LoggerMessage(119, LogLevel.Warning, "Giving run {RunId} back to the queue failed; the sweeper will find it.")]
    public static partial void ReleaseFailed(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(120, LogLevel.Warning, "Redis lost workflow data ({Reason}): re-enqueuing from PostgreSQL.")]
    public static partial void RedisDataLost(ILogger logger, string reason);

    [LoggerMessage(121, LogLevel.Information, "Reconciled Redis (server {RedisRunId}) from PostgreSQL: {Queued} queued and {Orphaned} ownerless running runs re-enqueued.")]
    public static partial void Reconciled(ILogger logger, string redisRunId, int queued, int orphaned);

    [LoggerMessage(122, LogLevel.Warning, "Reconciling Redis from PostgreSQL failed; retrying.")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception);
}
