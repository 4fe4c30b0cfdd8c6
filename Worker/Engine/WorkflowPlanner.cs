using System.Text.RegularExpressions;
using Observability.Worker.Llm;
using Observability.Worker.Monitoring;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Turns a task into a DAG of steps. The model is asked for the plan (its tokens and cost count toward the run);
/// the steps are derived from the task's own clauses, so the same task always gives the same plan: an
/// <c>analyze</c> step, one step per clause (1–3, in parallel) and a <c>synthesize</c> step after them all.
/// </summary>
internal sealed partial class WorkflowPlanner(ILlmClient llm)
{
    private const int MaxClauses = 3;

    public async Task<(WorkflowPlan Plan, LlmResponse Response)> PlanAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.plan");
        var response = await llm.CompleteAsync(new LlmRequest
        {
            Model = run.Model,
            Messages =
            [
                LlmMessage.System("Break the user's task into a small set of steps with dependencies."),
                LlmMessage.User(run.Task),
            ],
        }, cancellationToken).ConfigureAwait(false);
        var plan = Derive(run.Task);
        activity?.SetTag("workflow.step.count", plan.Steps.Count);
        return (plan, response);
    }

    /// <summary>The deterministic plan of <paramref name="task"/> (3–5 steps; agents are assigned by the router).</summary>
    public static WorkflowPlan Derive(string task)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        var clauses = ClauseSeparator().Split(task)
            .Select(c => c.Trim())
            .Where(c => c.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (clauses.Count > MaxClauses)
        {
            // Keep the first clauses apart and fold the rest into the last one.
            clauses = [.. clauses.Take(MaxClauses - 1), string.Join("; ", clauses.Skip(MaxClauses - 1))];
        }

        var steps = new List<PlannedStep> { new("analyze", $"Analyze the task: {Shorten(task)}", [], "", "") };
        var parts = clauses.Select((clause, i) => new PlannedStep($"part-{i + 1}", $"Work on: {Shorten(clause)}", ["analyze"], "", "")).ToList();
        steps.AddRange(parts);
        steps.Add(new PlannedStep("synthesize", "Synthesize the results into one answer", parts.Select(p => p.Id).ToArray(), "", ""));
        return new WorkflowPlan(steps);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];

    [GeneratedRegex(@"[.;!?\n]+|\bthen\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseSeparator();
}
