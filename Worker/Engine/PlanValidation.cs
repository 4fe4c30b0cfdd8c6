namespace Observability.Worker.Engine;

/// <summary>The validator's verdict: whether the plan can run, what is wrong with it and its quality (0–1).</summary>
internal sealed record PlanValidation(bool IsSolvable, double QualityScore, IReadOnlyList<string> Problems);
