namespace Observability.Workflows.Runs;

/// <summary>One node of a <see cref="WorkflowPlan"/>: what to do, after which steps, by which agent and why.</summary>
public sealed record PlannedStep(string Id, string Description, IReadOnlyList<string> DependsOn, string Agent, string Explanation);
