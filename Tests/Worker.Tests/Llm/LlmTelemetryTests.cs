using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>
/// The worker's chat client over the simulated provider: GenAI spans and metrics from <c>UseOpenTelemetry</c>, cost,
/// retries honouring Retry-After, message content only when asked.
/// </summary>
[Collection(TelemetryListeners.Name)]
public sealed class LlmTelemetryTests
{
    private static readonly Dictionary<string, string?> Priced = new()
    {
        ["Llm:Model"] = "gpt-4o-mini",
        ["Llm:Simulated:MedianLatency"] = "00:00:00",
        ["Llm:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
        ["Llm:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
    };

    [Fact]
    public async Task GetResponseAsync_Success_RecordsChatClientSpanWithGenAiAttributesAndCost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture();

        var reply = await host.Client.GetResponseAsync(Request(), new ChatOptions { MaxOutputTokens = 500, Temperature = 0.7f }, ct);

        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Equal("chat gpt-4o-mini", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("simulated", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(500, Convert.ToInt32(span.GetTagItem("gen_ai.request.max_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("gpt-4o-mini", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(reply.ResponseId, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(reply.InputTokens, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(reply.OutputTokens, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        var expected = ((reply.InputTokens * 0.15m) + (reply.OutputTokens * 0.60m)) / 1_000_000m;
        Assert.Equal(expected, reply.CostUsd);
        Assert.Equal((double)expected, span.GetTagItem(LlmCost.Key));
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task GetResponseAsync_Success_RecordsTokenUsageDurationAndCostByProviderAndModel()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture();

        var reply = await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        var tokens = telemetry.Measurements("gen_ai.client.token.usage");
        Assert.Equal(2, tokens.Count);
        Assert.All(tokens, token => Assert.Equal("{token}", token.Unit));
        Assert.Equal(reply.InputTokens, Assert.Single(tokens, token => Equals(token.Tags["gen_ai.token.type"], "input")).Value);
        Assert.Equal(reply.OutputTokens, Assert.Single(tokens, token => Equals(token.Tags["gen_ai.token.type"], "output")).Value);
        Assert.All(tokens, token =>
        {
            Assert.Equal("chat", token.Tags["gen_ai.operation.name"]);
            Assert.Equal("simulated", token.Tags["gen_ai.provider.name"]);
            Assert.Equal("gpt-4o-mini", token.Tags["gen_ai.request.model"]);
            Assert.Equal("gpt-4o-mini", token.Tags["gen_ai.response.model"]);
        });

        var duration = Assert.Single(telemetry.Measurements("gen_ai.client.operation.duration"));
        Assert.Equal("s", duration.Unit);
        Assert.False(duration.Tags.ContainsKey("error.type"));

        var cost = Assert.Single(telemetry.Measurements("llm.client.cost"));
        Assert.Equal("USD", cost.Unit);
        Assert.Equal("simulated", cost.Tags["gen_ai.provider.name"]);
        Assert.Equal("gpt-4o-mini", cost.Tags["gen_ai.request.model"]);
        Assert.Equal((double)reply.CostUsd!.Value, cost.Value, 12);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderPrice_WinsOverModelPrice()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(Priced)
        {
            ["Llm:Prices:simulated/gpt-4o-mini:InputPerMillion"] = "1000000",
            ["Llm:Prices:simulated/gpt-4o-mini:OutputPerMillion"] = "0",
        };
        await using var host = await LlmTestHost.StartAsync(settings, ct);

        var reply = await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        Assert.Equal(reply.InputTokens, reply.CostUsd);
    }

    [Fact]
    public async Task GetResponseAsync_ModelWithoutPrice_HasNoCostAndRecordsNoCostMetric()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture();

        var reply = await host.Client.GetResponseAsync(Request(), new ChatOptions { ModelId = "llama3" }, ct);

        Assert.Null(reply.CostUsd);
        Assert.Equal("llama3", reply.ModelId);
        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Equal("chat llama3", span.DisplayName);
        Assert.Null(span.GetTagItem(LlmCost.Key));
        Assert.Empty(telemetry.Measurements("llm.client.cost"));
    }

    [Fact]
    public async Task GetResponseAsync_Failure_RetriedThenRecordsErrorOnSpanAndMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(Priced)
        {
            ["Llm:Simulated:FailureRate"] = "1",
            ["Llm:Resilience:MaxRetryAttempts"] = "2",
            ["Llm:Resilience:BaseDelay"] = "00:00:00",
        };
        await using var host = await LlmTestHost.StartAsync(settings, ct);
        using var telemetry = new TelemetryCapture();

        var exception = await Assert.ThrowsAsync<SimulatedFailureException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        Assert.Equal(3, LlmFailure.Attempts(exception));
        Assert.Equal("503", LlmFailure.ErrorType(exception));
        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(SimulatedFailureException).FullName, span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("gen_ai.usage.input_tokens"));
        var retries = span.Events.Where(e => e.Name == "gen_ai.client.retry").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, retry => Assert.Equal("503", retry.Tags.Single(t => t.Key == "error.type").Value));
        var duration = Assert.Single(telemetry.Measurements("gen_ai.client.operation.duration"));
        Assert.Equal(typeof(SimulatedFailureException).FullName, duration.Tags["error.type"]);
        Assert.Empty(telemetry.Measurements("gen_ai.client.token.usage"));
        Assert.Empty(telemetry.Measurements("llm.client.cost"));
    }

    [Fact]
    public async Task GetResponseAsync_RateLimited_WaitsTheRetryAfterOnTheTimeProviderBeforeRetrying()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var settings = new Dictionary<string, string?>(Priced)
        {
            ["Llm:Simulated:RateLimitRate"] = "1",
            ["Llm:Simulated:RetryAfter"] = "00:00:30",
            ["Llm:Resilience:MaxRetryAttempts"] = "1",
            ["Llm:Resilience:BaseDelay"] = "00:00:00",
        };
        await using var host = await LlmTestHost.StartAsync(settings, ct, timeProvider: time);

        var call = host.Client.GetResponseAsync(Request(), cancellationToken: ct);
        time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var exception = await Assert.ThrowsAsync<SimulatedFailureException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), ct));

        Assert.Equal(2, LlmFailure.Attempts(exception));
        Assert.Equal("429", LlmFailure.ErrorType(exception));
    }

    [Fact]
    public async Task GetResponseAsync_ContentNotEnabled_RecordsNoPromptOrReply()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture();

        var reply = await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));
        Assert.Null(span.GetTagItem("gen_ai.system_instructions"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value is string text
            && (text.Contains("secret plan", StringComparison.Ordinal) || text.Contains(reply.Text, StringComparison.Ordinal)));
        Assert.Empty(span.Events);
    }

    [Fact]
    public async Task GetResponseAsync_CaptureMessageContent_RecordsInputAndOutputMessagesAsGenAiJson()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(Priced) { [LlmExtensions.CaptureMessageContent] = "true" };
        await using var host = await LlmTestHost.StartAsync(settings, ct);
        using var telemetry = new TelemetryCapture();

        var reply = await host.Client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer briefly."), .. Request()], cancellationToken: ct);

        var span = Assert.Single(telemetry.LlmSpans);
        using var input = JsonDocument.Parse((string)span.GetTagItem("gen_ai.input.messages")!);
        var system = Assert.Single(input.RootElement.EnumerateArray(), m => m.GetProperty("role").GetString() == "system");
        Assert.Equal("Answer briefly.", system.GetProperty("parts")[0].GetProperty("content").GetString());
        var message = Assert.Single(input.RootElement.EnumerateArray(), m => m.GetProperty("role").GetString() == "user");
        Assert.Equal("the secret plan", message.GetProperty("parts")[0].GetProperty("content").GetString());
        using var output = JsonDocument.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
        var answer = Assert.Single(output.RootElement.EnumerateArray());
        Assert.Equal("assistant", answer.GetProperty("role").GetString());
        Assert.Equal("text", answer.GetProperty("parts")[0].GetProperty("type").GetString());
        Assert.Equal(reply.Text, answer.GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.Equal("stop", answer.GetProperty("finish_reason").GetString());
    }

    private static ChatMessage[] Request() => [new ChatMessage(ChatRole.User, "the secret plan")];
}
