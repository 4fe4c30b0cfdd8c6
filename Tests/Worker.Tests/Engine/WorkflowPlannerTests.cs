using Observability.Worker.Engine;

namespace Observability.Worker.Tests.Engine;

public sealed class WorkflowPlannerTests
{
    [Fact]
    public void Derive_SameTask_SamePlan()
    {
        const string task = "Research the market. Write a summary; then draft a recommendation";

        var first = WorkflowPlanner.Derive(task);
        var second = WorkflowPlanner.Derive(task);

        Assert.Equal(first.Steps.Select(s => (s.Id, s.Description, string.Join(",", s.DependsOn))), second.Steps.Select(s => (s.Id, s.Description, string.Join(",", s.DependsOn))));
    }

    [Fact]
    public void Derive_ThreeClauses_AnalyzePartsInParallelThenSynthesize()
    {
        var plan = WorkflowPlanner.Derive("Research the market. Write a summary; then draft a recommendation");

        Assert.Equal(["analyze", "part-1", "part-2", "part-3", "synthesize"], plan.Steps.Select(s => s.Id));
        Assert.Empty(plan.Steps[0].DependsOn);
        Assert.All(plan.Steps.Skip(1).Take(3), s => Assert.Equal(["analyze"], s.DependsOn));
        Assert.Equal(["part-1", "part-2", "part-3"], plan.Steps[^1].DependsOn);
        Assert.Contains("draft a recommendation", plan.Steps[3].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_OneClause_ThreeSteps()
    {
        Assert.Equal(3, WorkflowPlanner.Derive("Summarize this article").Steps.Count);
    }

    [Fact]
    public void Derive_ManyClauses_AtMostFiveSteps()
    {
        var plan = WorkflowPlanner.Derive("One. Two. Three. Four. Five. Six");

        Assert.Equal(5, plan.Steps.Count);
        Assert.Contains("Six", plan.Steps[3].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_KeywordInDescription_AgentWithExplanation()
    {
        var plan = AgentRouter.Route(WorkflowPlanner.Derive("Implement the parser. Write the docs"), null);

        Assert.Equal("coder", plan.Steps[1].Agent);
        Assert.Contains("'implement'", plan.Steps[1].Explanation, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("writer", plan.Steps[2].Agent);
    }

    [Fact]
    public void Route_RequestedAgent_UsedForEveryStep()
    {
        var plan = AgentRouter.Route(WorkflowPlanner.Derive("Implement the parser. Write the docs"), "expert");

        Assert.All(plan.Steps, s => Assert.Equal("expert", s.Agent));
        Assert.All(plan.Steps, s => Assert.Contains("asked for agent 'expert'", s.Explanation, StringComparison.Ordinal));
    }
}
