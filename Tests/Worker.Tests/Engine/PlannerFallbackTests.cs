using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.Worker.Engine;
using Observability.Worker.Llm;
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
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.CompletionAsync(context, reply, 40, 30), ct);
        await using var host = await StartHostAsync(server, ct);

        var outcome = await new WorkflowPlanner(host.Client).PlanAsync(Run(), ct);

        Assert.Equal(WorkflowPlan.FromModel, outcome.Plan.Source);
        Assert.Null(outcome.Plan.FallbackReason);
        Assert.Equal(["gather", "report"], outcome.Plan.Steps.Select(s => s.Id));
        Assert.Equal("researcher", outcome.Plan.Steps[0].Agent);
        Assert.Equal(30, outcome.Response!.Usage!.OutputTokenCount);
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
        using var stopped = new StoppedSpans();
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.CompletionAsync(context, reply), ct);
        await using var host = await StartHostAsync(server, ct);
        using var root = new Activity("planner-test").Start();

        var outcome = await new WorkflowPlanner(host.Client).PlanAsync(Run(), ct);

        Assert.Equal(WorkflowPlan.FromFallback, outcome.Plan.Source);
        Assert.Contains(reason, outcome.Plan.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(WorkflowPlanner.Derive(Task).Steps.Select(s => s.Id), outcome.Plan.Steps.Select(s => s.Id));
        Assert.True(outcome.Validation.IsSolvable);
        Assert.NotNull(outcome.Response);
        var span = Assert.Single(stopped.Spans, a => a.OperationName == "workflow.plan" && a.TraceId == root.TraceId);
        Assert.Equal(WorkflowPlan.FromFallback, span.GetTagItem("workflow.plan.source"));
        Assert.Equal(outcome.Plan.FallbackReason, span.GetTagItem("workflow.plan.fallback_reason"));
    }

    [Fact]
    public async Task PlanAsync_PlanningCallFails_FallbackSaysWhyAndTheChatSpanIsAChildOfThePlanSpan()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var stopped = new StoppedSpans();
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.ErrorAsync(context, 503), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["Llm:Resilience:MaxRetryAttempts"] = "1" });
        using var root = new Activity("planner-test").Start();

        var outcome = await new WorkflowPlanner(host.Client).PlanAsync(Run(), ct);

        Assert.Equal(WorkflowPlan.FromFallback, outcome.Plan.Source);
        Assert.Equal("The planning call failed (503).", outcome.Plan.FallbackReason);
        Assert.Null(outcome.Response);
        Assert.Equal(2, server.Calls.Count);
        var plan = Assert.Single(stopped.Spans, a => a.OperationName == "workflow.plan" && a.TraceId == root.TraceId);
        var chat = Assert.Single(stopped.Spans, a => a.Source.Name == LlmTelemetry.Name && a.TraceId == root.TraceId);
        Assert.Equal(plan.SpanId, chat.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, chat.Status);
        Assert.Equal("analyze (researcher); part-1 (researcher) after analyze; part-2 (writer) after analyze; synthesize (writer) after part-1, part-2",
            plan.GetTagItem("workflow.plan.steps"));
    }

    [Fact]
    public void Route_StepMatchingSeveralAgents_DecisionEventNamesTheAgentTheReasonAndTheAlternatives()
    {
        using var stopped = new StoppedSpans();
        using var root = new Activity("router-test").Start();
        var plan = new WorkflowPlan([new PlannedStep("a", "Research the market and write it up", [], "", ""), new PlannedStep("b", "Tidy up", ["a"], "", "")]);

        AgentRouter.Route(plan, null);
        AgentRouter.Route(plan, "expert");

        var routes = stopped.Spans.Where(a => a.OperationName == "workflow.route" && a.TraceId == root.TraceId).ToList();
        Assert.Equal(2, routes.Count);
        var byRules = Decisions(routes[0]);
        Assert.Equal("researcher", byRules["a"].Agent);
        Assert.Equal(["writer"], byRules["a"].Alternatives);
        Assert.Contains("'research'", byRules["a"].Explanation, StringComparison.Ordinal);
        Assert.Equal(AgentRouter.DefaultAgent, byRules["b"].Agent);
        Assert.Empty(byRules["b"].Alternatives);
        var requested = Decisions(routes[1]);
        Assert.All(requested.Values, decision => Assert.Equal("expert", decision.Agent));
        Assert.Equal(["researcher"], requested["a"].Alternatives);
        Assert.Equal([AgentRouter.DefaultAgent], requested["b"].Alternatives);
    }

    [Fact]
    public void Validate_PlanWithProblems_VerdictOnTheSpan()
    {
        using var stopped = new StoppedSpans();
        using var root = new Activity("validator-test").Start();
        var plan = new WorkflowPlan([new PlannedStep("a", "Collect data", [], "", ""), new PlannedStep("b", "Write", ["a"], "writer", "why")]);

        var validation = PlanValidator.Validate(plan);

        var span = Assert.Single(stopped.Spans, a => a.OperationName == "workflow.validate" && a.TraceId == root.TraceId);
        Assert.Equal(true, span.GetTagItem("workflow.plan.solvable"));
        Assert.Equal(validation.QualityScore, span.GetTagItem("workflow.quality_score"));
        Assert.Equal(1, span.GetTagItem("workflow.plan.problem_count"));
        Assert.Equal(validation.Problems, (string[])span.GetTagItem("workflow.plan.problems")!);
    }

    private static Dictionary<string, (string Agent, string Explanation, string[] Alternatives)> Decisions(Activity route) =>
        route.Events.Where(e => e.Name == "workflow.route.decision").ToDictionary(
            e => (string)Tag(e, "workflow.step.key")!,
            e => ((string)Tag(e, "workflow.step.agent")!, (string)Tag(e, "workflow.route.explanation")!, (string[])Tag(e, "workflow.route.alternatives")!));

    private static object? Tag(ActivityEvent e, string key) => e.Tags.FirstOrDefault(t => t.Key == key).Value;

    private static RunExecution Run() => new(Guid.CreateVersion7(), "session-1", Task, null, null, DateTimeOffset.UtcNow, null, 1);

    private static Task<LlmTestHost> StartHostAsync(ChatCompletionsServer server, CancellationToken cancellationToken,
        Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAICompatible",
            ["Llm:OpenAI:BaseUrl"] = server.BaseUrl.ToString(),
            ["Llm:Resilience:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return LlmTestHost.StartAsync(settings, cancellationToken);
    }

    /// <summary>Every span of the worker's and the LLM layer's sources, as they stop.</summary>
    private sealed class StoppedSpans : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public StoppedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is WorkerTelemetry.Name or LlmTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Spans => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }
}
