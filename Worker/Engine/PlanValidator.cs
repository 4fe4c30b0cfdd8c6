using Observability.Worker.Monitoring;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Checks a plan: solvable (unique ids, dependencies exist, no cycle), complete (every step has a description
/// and an agent), not redundant (no two steps with the same description). The score starts at 1 and loses a
/// share per problem; an unsolvable plan scores 0. The verdict is on the <c>workflow.validate</c> span:
/// <c>workflow.plan.solvable</c>, <c>workflow.quality_score</c>, <c>workflow.plan.problem_count</c> and
/// <c>workflow.plan.problems</c>.
/// </summary>
internal static class PlanValidator
{
    public static PlanValidation Validate(WorkflowPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.validate");
        var problems = new List<string>();
        var solvable = plan.Steps.Count > 0;
        if (!solvable)
        {
            problems.Add("The plan has no steps.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            if (!ids.Add(step.Id))
            {
                problems.Add($"Step id '{step.Id}' is used twice.");
                solvable = false;
            }
        }

        foreach (var step in plan.Steps)
        {
            foreach (var dependency in step.DependsOn.Where(d => !ids.Contains(d)))
            {
                problems.Add($"Step '{step.Id}' depends on '{dependency}', which is not in the plan.");
                solvable = false;
            }
        }

        if (solvable && HasCycle(plan))
        {
            problems.Add("The dependencies form a cycle.");
            solvable = false;
        }

        var softProblems = 0;
        foreach (var step in plan.Steps.Where(s => string.IsNullOrWhiteSpace(s.Description) || string.IsNullOrWhiteSpace(s.Agent)))
        {
            problems.Add($"Step '{step.Id}' lacks a description or an agent.");
            softProblems++;
        }

        foreach (var duplicate in plan.Steps.GroupBy(s => s.Description.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"Steps {string.Join(", ", duplicate.Select(s => $"'{s.Id}'"))} do the same thing.");
            softProblems += duplicate.Count() - 1;
        }

        var score = solvable ? Math.Max(0, 1.0 - ((double)softProblems / plan.Steps.Count)) : 0;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("workflow.quality_score", score);
            activity.SetTag("workflow.plan.solvable", solvable);
            activity.SetTag("workflow.plan.problem_count", problems.Count);
            if (problems.Count > 0)
            {
                activity.SetTag("workflow.plan.problems", problems.ToArray());
            }
        }

        return new PlanValidation(solvable, score, problems);
    }

    /// <summary>Kahn's algorithm: a cycle leaves steps that never reach in-degree zero.</summary>
    private static bool HasCycle(WorkflowPlan plan)
    {
        var inDegree = plan.Steps.ToDictionary(s => s.Id, s => s.DependsOn.Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var ready = new Queue<string>(inDegree.Where(p => p.Value == 0).Select(p => p.Key));
        var visited = 0;
        while (ready.TryDequeue(out var id))
        {
            visited++;
            foreach (var dependent in plan.Steps.Where(s => s.DependsOn.Contains(id, StringComparer.Ordinal)))
            {
                if (--inDegree[dependent.Id] == 0)
                {
                    ready.Enqueue(dependent.Id);
                }
            }
        }

        return visited != plan.Steps.Count;
    }
}
