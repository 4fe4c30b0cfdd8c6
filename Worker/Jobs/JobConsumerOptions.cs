namespace Observability.Worker.Jobs;

/// <summary>How the Worker consumes <c>workflows.jobs</c> (configuration section <c>Workflows:Worker</c>).</summary>
internal sealed class JobConsumerOptions
{
    public const string SectionName = "Workflows:Worker";

    /// <summary><c>Workflows:Worker:Concurrency</c>: jobs executed at once by this process (1–256). Default 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary><c>Workflows:Worker:ConsumerName</c>: this consumer's name in the group. Default: machine name and process id.</summary>
    public string ConsumerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// <c>Workflows:Worker:PollInterval</c>: how long one blocking <c>XREADGROUP</c> waits in Redis for a new job
    /// before it returns empty (10 ms–1 min). Default 2 s: an idle worker sends one read per interval, and a claim
    /// round opened meanwhile waits at most this long. A job is answered to the waiting read as soon as it is added.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Workflows:Worker:ClaimIdleTime</c>: a pending job idle this long belongs to a dead consumer and is claimed (≥ 10 ms). Default 1 min.</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Workflows:Worker:MaintenanceInterval</c>: how often to claim idle jobs and sample queue metrics (≥ 10 ms). Default 15 s.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><c>Workflows:Worker:MaxDeliveries</c>: deliveries after which a job is dead-lettered (1–100). Default 5.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary><c>Workflows:Worker:ShutdownTimeout</c>: how long shutdown waits for in-flight jobs (0–10 min). Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Workflows:Worker:StuckRunTimeout</c>: a run Queued or Running longer than this is re-enqueued (≥ 1 s). Default 15 min.</summary>
    public TimeSpan StuckRunTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary><c>Workflows:Worker:SweepInterval</c>: how often to look for stuck runs (≥ 10 ms). Default 1 min.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>Workflows:Worker:ReconcileInterval</c>: how often to check whether Redis lost its data (its server
    /// <c>run_id</c> changed, or the job stream or group vanished), which re-enqueues Queued and ownerless Running runs
    /// from PostgreSQL (≥ 10 ms). Default 2 s.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Workflows:Worker:MaxParallelSteps</c>: steps of one run executed at once where the plan allows (1–64). Default 4.</summary>
    public int MaxParallelSteps { get; set; } = 4;
}
