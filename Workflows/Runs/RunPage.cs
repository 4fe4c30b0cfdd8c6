namespace Observability.Workflows.Runs;

/// <summary>One page of a session's runs, newest first; <see cref="Next"/> is null on the last page.</summary>
public sealed record RunPage(IReadOnlyList<WorkflowRun> Items, RunPageCursor? Next);
