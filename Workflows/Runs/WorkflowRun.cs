namespace Observability.Workflows.Runs;

/// <summary>One submitted task and its execution (table <c>workflow_runs</c>).</summary>
public sealed class WorkflowRun
{
    /// <summary>The longest task text accepted, in UTF-8 bytes (32 KB).</summary>
    public const int MaxTaskBytes = 32 * 1024;

    public Guid Id { get; set; }

    public required string SessionId { get; set; }

    public required string Task { get; set; }

    public string? Agent { get; set; }

    public string? Model { get; set; }

    public string? Mode { get; set; }

    public WorkflowRunStatus Status { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 (hex) of the request that first used <see cref="IdempotencyKey"/>.</summary>
    public string? RequestHash { get; set; }

    /// <summary>The W3C trace id (32 lower-case hex digits) the run was submitted under.</summary>
    public string? TraceId { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>
    /// The W3C <c>traceparent</c> the run was submitted under (column <c>traceparent</c>): whoever picks the run up
    /// again (a sweeper, a re-enqueue) continues the submitter's trace from the run itself.
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary>The W3C <c>baggage</c> the run was submitted with (column <c>baggage</c>).</summary>
    public string? Baggage { get; set; }

    /// <summary>The planner's DAG (jsonb), once planned.</summary>
    public WorkflowPlan? Plan { get; set; }

    /// <summary>The validator's score of the plan, once validated.</summary>
    public double? QualityScore { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>How many times a worker has started the run.</summary>
    public int AttemptCount { get; set; }

    public string? DeadLetterReason { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: the optimistic concurrency token.</summary>
    public uint RowVersion { get; set; }
}
