using Observability.Worker.Engine;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Engine;

public sealed class PlanFromModelTests
{
    [Fact]
    public void TryParse_ValidPlan_StepsWithDependencies()
    {
        const string reply = """{"steps":[{"id":"a","description":"Collect data","dependsOn":[]},{"id":"b","description":"Write it up","dependsOn":["a"]}]}""";

        Assert.True(WorkflowPlanner.TryParse(reply, out var plan, out _));

        Assert.Equal(["a", "b"], plan.Steps.Select(s => s.Id));
        Assert.Equal(["a"], plan.Steps[1].DependsOn);
        Assert.Equal("Collect data", plan.Steps[0].Description);
    }

    [Fact]
    public void TryParse_PlanInMarkdownFence_Parsed()
    {
        const string reply = "```json\n{\"steps\":[{\"id\":\"a\",\"description\":\"Do it\"}]}\n```";

        Assert.True(WorkflowPlanner.TryParse(reply, out var plan, out _));
        Assert.Equal("a", Assert.Single(plan.Steps).Id);
    }

    [Theory]
    [InlineData("Sure! First research, then write.", "not JSON")]
    [InlineData("""{"plan":[]}""", "no \"steps\" array")]
    [InlineData("""{"steps":[]}""", "has 0 steps")]
    [InlineData("""{"steps":[{"id":"a"}]}""", "lacks an id")]
    [InlineData("""{"steps":[{"id":"a","description":"x","dependsOn":[1]}]}""", "dependency that is not a step id")]
    public void TryParse_NotAPlan_FalseWithTheReason(string reply, string reason)
    {
        Assert.False(WorkflowPlanner.TryParse(reply, out _, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void SimulatedPlan_ForATask_IsAValidPlanOfItsSentences()
    {
        var reply = SimulatedPlan.Write("Find the sources. Compare them. Write the report");

        Assert.True(WorkflowPlanner.TryParse(reply, out var plan, out _));
        Assert.Equal(["scope", "task-1", "task-2", "task-3", "review"], plan.Steps.Select(s => s.Id));
        Assert.True(PlanValidator.Validate(AgentRouter.Route(plan, null)).IsSolvable);
    }
}
