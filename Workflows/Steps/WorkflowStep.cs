namespace Observability.Workflows.Steps;

/// <summary>The execution of one planned step of a run (table <c>workflow_steps</c>, keyed by run and step key).</summary>
public sealed class WorkflowStep
{
    public Guid RunId { get; set; }

    /// <summary>The step's id in the run's plan.</summary>
    public required string StepKey { get; set; }

    public string? Agent { get; set; }

    /// <summary>The router's human-readable reason for choosing <see cref="Agent"/>.</summary>
    public string? Explanation { get; set; }

    public WorkflowStepStatus Status { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Error { get; set; }
}
