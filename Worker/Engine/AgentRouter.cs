using Observability.Worker.Monitoring;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Assigns each step an agent by the words of its description, with a sentence saying why; a run that names its
/// agent gets that agent for every step.
/// </summary>
internal static class AgentRouter
{
    private static readonly (string Agent, string[] Keywords)[] Rules =
    [
        ("coder", ["code", "implement", "program", "function", "bug", "test"]),
        ("researcher", ["research", "find", "search", "analyze", "analyse", "compare", "investigate"]),
        ("writer", ["write", "summarize", "summarise", "synthesize", "draft", "explain", "answer"]),
    ];

    public const string DefaultAgent = "generalist";

    public static WorkflowPlan Route(WorkflowPlan plan, string? requestedAgent)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.route");
        var routed = plan.Steps.Select(step => Assign(step, requestedAgent)).ToList();
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("workflow.route.explanation", string.Join(" ", routed.Select(s => $"{s.Id}: {s.Explanation}")));
        }

        return plan with { Steps = routed };
    }

    private static PlannedStep Assign(PlannedStep step, string? requestedAgent)
    {
        if (!string.IsNullOrWhiteSpace(requestedAgent))
        {
            return step with { Agent = requestedAgent, Explanation = $"The request asked for agent '{requestedAgent}'." };
        }

        foreach (var (agent, keywords) in Rules)
        {
            var keyword = keywords.FirstOrDefault(k => step.Description.Contains(k, StringComparison.OrdinalIgnoreCase));
            if (keyword is not null)
            {
                return step with { Agent = agent, Explanation = $"The step mentions '{keyword}', which the {agent} agent handles." };
            }
        }

        return step with { Agent = DefaultAgent, Explanation = "No specialised agent matches the step; the generalist takes it." };
    }
}
