using Observability.Worker.Engine;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Engine;

public sealed class StepPromptTests
{
    private static readonly Dictionary<string, string> Outputs = new(StringComparer.Ordinal)
    {
        ["scope"] = "The scope is three vendors.",
        ["task-1"] = "Vendor A costs less.",
    };

    [Fact]
    public void Prompt_NoDependencies_TheDescriptionItself()
    {
        var step = Step();

        Assert.Same(step.Description, StepExecutor.Prompt(step, Outputs));
    }

    [Fact]
    public void Prompt_OneDependencyWithoutOutput_TheDescriptionItself()
    {
        var step = Step("ghost");

        Assert.Same(step.Description, StepExecutor.Prompt(step, Outputs));
    }

    [Fact]
    public void Prompt_OneDependency_DescriptionThenItsOutputUnderItsKey()
    {
        Assert.Equal(
            "Compare the vendors.\nEarlier results:\n[scope] The scope is three vendors.",
            StepExecutor.Prompt(Step("scope"), Outputs));
    }

    [Fact]
    public void Prompt_SeveralDependencies_OneLineEachInTheirOrderEmptyForOneWithoutOutput()
    {
        Assert.Equal(
            "Compare the vendors.\nEarlier results:\n[task-1] Vendor A costs less.\n\n[scope] The scope is three vendors.",
            StepExecutor.Prompt(Step("task-1", "ghost", "scope"), Outputs));
        Assert.Equal("Compare the vendors.\nEarlier results:\n\n", StepExecutor.Prompt(Step("ghost", "other"), Outputs));
    }

    private static PlannedStep Step(params string[] dependsOn) => new("review", "Compare the vendors.", dependsOn, "analyst", "Routed by keyword.");
}
