using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.Worker.Engine;
using Observability.Worker.Monitoring;
using Observability.Worker.Tests.Llm;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Engine;

[Collection(TelemetryListeners.Name)]
[Trait("Category", "Integration")]
public sealed class PlannerFallbackTests
{
    private const string Task = "Research the market. Write a summary";

    [Fact]
    public async Task PlanAsync_ModelRepliesWithValidPlan_ThePlanIsTheModels()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        const string reply = """{"steps":[{"id":"gather","description":"Research the market","dependsOn":[]},{"id":"report","description":"Write a summary","dependsOn":["gather"]}]}""";
        await using var server = await FakeChatCompletionsServer.StartAsync((context, _) => FakeChatCompletionsServer.CompletionAsync(context, reply, 40, 30), ct);
        await using var host = await StartHostAsync(server, ct);

        var outcome = await new WorkflowPlanner(host.Client).PlanAsync(Run(), ct);

        Assert.Equal(WorkflowPlan.FromModel, outcome.Plan.Source);
        Assert.Null(outcome.Plan.FallbackReason);
        Assert.Equal(["gather", "report"], outcome.Plan.Steps.Select(s => s.Id));
        Assert.Equal("researcher", outcome.Plan.Steps[0].Agent);
        Assert.Equal(30, outcome.Response!.OutputTokens);
        var call = Assert.Single(server.Calls);
        Assert.Equal("json_object", call.Body.GetProperty("response_format").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("Sure! First I will research the market, then write.", "not JSON")]
    [InlineData("""{"steps":[{"id":"a","description":"x","dependsOn":["b"]},{"id":"b","description":"y","dependsOn":["a"]}]}""", "cycle")]
    public async Task PlanAsync_ModelReplyIsNotAUsablePlan_FallbackRecordedOnTheSpanAndInThePlan(string reply, string reason)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await FakeChatCompletionsServer.StartAsync((context, _) => FakeChatCompletionsServer.CompletionAsync(context, reply), ct);
        await using var host = await StartHostAsync(server, ct);
        using var root = new Activity("planner-test").Start();

        var outcome = await new WorkflowPlanner(host.Client).PlanAsync(Run(), ct);

        Assert.Equal(WorkflowPlan.FromFallback, outcome.Plan.Source);
        Assert.Contains(reason, outcome.Plan.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(WorkflowPlanner.Derive(Task).Steps.Select(s => s.Id), outcome.Plan.Steps.Select(s => s.Id));
        Assert.True(outcome.Validation.IsSolvable);
        Assert.NotNull(outcome.Response);
        var span = Assert.Single(stopped, a => a.OperationName == "workflow.plan" && a.TraceId == root.TraceId);
        Assert.Equal(WorkflowPlan.FromFallback, span.GetTagItem("workflow.plan.source"));
        Assert.Equal(outcome.Plan.FallbackReason, span.GetTagItem("workflow.plan.fallback_reason"));
    }

    private static RunExecution Run() => new(Guid.CreateVersion7(), "session-1", Task, null, null, DateTimeOffset.UtcNow, null, 1);

    private static Task<LlmTestHost> StartHostAsync(FakeChatCompletionsServer server, CancellationToken cancellationToken) => LlmTestHost.StartAsync(
        new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAICompatible",
            ["Llm:OpenAI:BaseUrl"] = server.BaseUrl.ToString(),
        },
        cancellationToken);
}
