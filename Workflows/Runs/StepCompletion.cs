namespace Observability.Workflows.Runs;

/// <summary>
/// A stored step completion: the steps started in the same statement and, when the last step's completion also
/// finished the run, the run's final totals (<see cref="Finish"/>; null when the run was not finished by it).
/// </summary>
public sealed record StepCompletion(IReadOnlyList<string> Started, RunFinish? Finish);
