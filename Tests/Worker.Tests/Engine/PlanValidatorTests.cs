using Observability.Worker.Engine;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Engine;

public sealed class PlanValidatorTests
{
    [Fact]
    public void Validate_DerivedPlan_SolvableWithFullScore()
    {
        var plan = AgentRouter.Route(WorkflowPlanner.Derive("Find the data. Compare the vendors. Write the memo"), null);

        var validation = PlanValidator.Validate(plan);

        Assert.True(validation.IsSolvable);
        Assert.Equal(1.0, validation.QualityScore);
        Assert.Empty(validation.Problems);
    }

    [Fact]
    public void Validate_Cycle_Unsolvable()
    {
        var plan = new WorkflowPlan([Step("a", "b"), Step("b", "a")]);

        var validation = PlanValidator.Validate(plan);

        Assert.False(validation.IsSolvable);
        Assert.Equal(0, validation.QualityScore);
        Assert.Contains(validation.Problems, p => p.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MissingDependency_Unsolvable()
    {
        var validation = PlanValidator.Validate(new WorkflowPlan([Step("a", "ghost")]));

        Assert.False(validation.IsSolvable);
        Assert.Contains(validation.Problems, p => p.Contains("'ghost'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateId_Unsolvable()
    {
        var validation = PlanValidator.Validate(new WorkflowPlan([Step("a"), Step("a")]));

        Assert.False(validation.IsSolvable);
    }

    [Fact]
    public void Validate_EmptyPlan_Unsolvable()
    {
        Assert.False(PlanValidator.Validate(new WorkflowPlan([])).IsSolvable);
    }

    [Fact]
    public void Validate_RedundantStep_LowersScore()
    {
        var plan = new WorkflowPlan(
        [
            new PlannedStep("a", "Collect data", [], "researcher", "why"),
            new PlannedStep("b", "collect data", ["a"], "researcher", "why"),
            new PlannedStep("c", "Write it up", ["b"], "writer", "why"),
            new PlannedStep("d", "Review", ["c"], "writer", "why"),
        ]);

        var validation = PlanValidator.Validate(plan);

        Assert.True(validation.IsSolvable);
        Assert.Equal(0.75, validation.QualityScore);
        Assert.Single(validation.Problems);
    }

    [Fact]
    public void Validate_StepWithoutAgent_LowersScore()
    {
        var plan = new WorkflowPlan([new PlannedStep("a", "Collect data", [], "", ""), new PlannedStep("b", "Write", ["a"], "writer", "why")]);

        var validation = PlanValidator.Validate(plan);

        Assert.True(validation.IsSolvable);
        Assert.Equal(0.5, validation.QualityScore);
    }

    private static PlannedStep Step(string id, params string[] dependsOn) => new(id, $"Do {id}", dependsOn, "generalist", "why");
}
