using System.Diagnostics;
using Observability.Worker.Monitoring;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Assigns each step an agent by the words of its description, with a sentence saying why; a run that names its
/// agent gets that agent for every step. Each decision is an event <c>workflow.route.decision</c> on the
/// <c>workflow.route</c> span: the step, the chosen agent, the explanation and the alternatives (the other agents
/// whose keywords the step also mentions, or the one the rules would have chosen when the run named its agent).
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
        var routed = new List<PlannedStep>(plan.Steps.Count);
        foreach (var step in plan.Steps)
        {
            var (assigned, alternatives) = Assign(step, requestedAgent);
            routed.Add(assigned);
            if (activity is { IsAllDataRequested: true })
            {
                activity.AddEvent(new ActivityEvent("workflow.route.decision", tags: new ActivityTagsCollection
                {
                    ["workflow.step.key"] = assigned.Id,
                    ["workflow.step.agent"] = assigned.Agent,
                    ["workflow.route.explanation"] = assigned.Explanation,
                    ["workflow.route.alternatives"] = alternatives,
                }));
            }
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("workflow.step.count", routed.Count);
            activity.SetTag("workflow.route.requested_agent", requestedAgent);
        }

        return plan with { Steps = routed };
    }

    private static (PlannedStep Step, string[] Alternatives) Assign(PlannedStep step, string? requestedAgent)
    {
        var matches = Rules
            .Select(rule => (rule.Agent, Keyword: rule.Keywords.FirstOrDefault(k => step.Description.Contains(k, StringComparison.OrdinalIgnoreCase))))
            .Where(match => match.Keyword is not null)
            .ToList();
        var (chosen, explanation) = matches is [var first, ..]
            ? (first.Agent, $"The step mentions '{first.Keyword}', which the {first.Agent} agent handles.")
            : (DefaultAgent, "No specialised agent matches the step; the generalist takes it.");
        if (!string.IsNullOrWhiteSpace(requestedAgent))
        {
            string[] instead = string.Equals(chosen, requestedAgent, StringComparison.Ordinal) ? [] : [chosen];
            return (step with { Agent = requestedAgent, Explanation = $"The request asked for agent '{requestedAgent}'." }, instead);
        }

        return (step with { Agent = chosen, Explanation = explanation }, [.. matches.Skip(1).Select(m => m.Agent)]);
    }
}
