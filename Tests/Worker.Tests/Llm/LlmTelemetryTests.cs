using System.Diagnostics;
using System.Text.Json;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>Spans and metrics of <see cref="ILlmClient"/> over the simulated provider, per the GenAI conventions.</summary>
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
    public async Task CompleteAsync_Success_RecordsChatClientSpanWithGenAiAttributes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture(host.Services);

        var reply = await host.Client.CompleteAsync(Request() with { MaxTokens = 500, Temperature = 0.7 }, ct);

        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Equal("chat gpt-4o-mini", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("simulated", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(500, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(0.7, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal("gpt-4o-mini", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(reply.ResponseId, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(reply.InputTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(reply.OutputTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal((double)reply.CostUsd!.Value, span.GetTagItem("llm.cost.usd"));
        Assert.Null(span.GetTagItem("server.address"));
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task CompleteAsync_Success_RecordsTokenUsageDurationRequestsAndCost()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var settings = new Dictionary<string, string?>(Priced)
        {
            ["Llm:Simulated:MedianLatency"] = "00:00:01.5",
            ["Llm:Simulated:P95Latency"] = "00:00:01.5",
        };
        await using var host = await LlmTestHost.StartAsync(settings, ct, timeProvider: time);
        using var telemetry = new TelemetryCapture(host.Services);

        var timer = time.NextTimerAsync();
        var call = host.Client.CompleteAsync(Request(), ct);
        time.Advance(await timer.WaitAsync(TimeSpan.FromSeconds(10), ct));
        var reply = await call.WaitAsync(TimeSpan.FromSeconds(10), ct);

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
        Assert.Equal(1.5, duration.Value, 6);
        Assert.False(duration.Tags.ContainsKey("error.type"));

        Assert.Equal(1, Assert.Single(telemetry.Measurements("llm.client.requests")).Value);
        Assert.Empty(telemetry.Measurements("llm.client.errors"));
        var cost = Assert.Single(telemetry.Measurements("llm.client.cost"));
        Assert.Equal("USD", cost.Unit);
        var expected = ((reply.InputTokens * 0.15) + (reply.OutputTokens * 0.60)) / 1_000_000;
        Assert.Equal(expected, cost.Value, 12);
        Assert.Equal((decimal)expected, reply.CostUsd!.Value, 12);
    }

    [Fact]
    public async Task CompleteAsync_ModelWithoutPrice_HasNoCostAndRecordsNoCostMetric()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture(host.Services);

        var reply = await host.Client.CompleteAsync(Request() with { Model = "llama3" }, ct);

        Assert.Null(reply.CostUsd);
        Assert.Equal("llama3", reply.ResponseModel);
        Assert.Equal("chat llama3", Assert.Single(telemetry.LlmSpans).DisplayName);
        Assert.Empty(telemetry.Measurements("llm.client.cost"));
    }

    [Fact]
    public async Task CompleteAsync_Failure_RecordsErrorTypeOnSpanAndMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(Priced) { ["Llm:Simulated:FailureRate"] = "1" };
        await using var host = await LlmTestHost.StartAsync(settings, ct);
        using var telemetry = new TelemetryCapture(host.Services);

        await Assert.ThrowsAsync<LlmServerException>(() => host.Client.CompleteAsync(Request(), ct));

        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("503", span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("gen_ai.usage.input_tokens"));
        var error = Assert.Single(telemetry.Measurements("llm.client.errors"));
        Assert.Equal("503", error.Tags["error.type"]);
        Assert.Equal("gpt-4o-mini", error.Tags["gen_ai.request.model"]);
        Assert.Equal("503", Assert.Single(telemetry.Measurements("gen_ai.client.operation.duration")).Tags["error.type"]);
        Assert.Empty(telemetry.Measurements("gen_ai.client.token.usage"));
        Assert.Contains(host.Logs.Messages, message => message.Contains("failed with 503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_ContentNotEnabled_RecordsNoPromptOrReply()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await LlmTestHost.StartAsync(Priced, ct);
        using var telemetry = new TelemetryCapture(host.Services);

        var reply = await host.Client.CompleteAsync(Request(), ct);

        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Null(span.GetTagItem("gen_ai.input.messages"));
        Assert.Null(span.GetTagItem("gen_ai.output.messages"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value is string text
            && (text.Contains("secret plan", StringComparison.Ordinal) || text.Contains(reply.Text, StringComparison.Ordinal)));
        Assert.Empty(span.Events);
    }

    [Fact]
    public async Task CompleteAsync_ContentEnabled_RecordsInputAndOutputMessagesAsGenAiJson()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string?>(Priced) { ["Llm:RecordContent"] = "true" };
        await using var host = await LlmTestHost.StartAsync(settings, ct);
        using var telemetry = new TelemetryCapture(host.Services);

        var reply = await host.Client.CompleteAsync(Request(), ct);

        var span = Assert.Single(telemetry.LlmSpans);
        using var input = JsonDocument.Parse((string)span.GetTagItem("gen_ai.input.messages")!);
        var message = Assert.Single(input.RootElement.EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("the secret plan", message.GetProperty("parts")[0].GetProperty("content").GetString());
        using var output = JsonDocument.Parse((string)span.GetTagItem("gen_ai.output.messages")!);
        var answer = Assert.Single(output.RootElement.EnumerateArray());
        Assert.Equal("assistant", answer.GetProperty("role").GetString());
        Assert.Equal("text", answer.GetProperty("parts")[0].GetProperty("type").GetString());
        Assert.Equal(reply.Text, answer.GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.Equal("stop", answer.GetProperty("finish_reason").GetString());
    }

    private static LlmRequest Request() => new() { Messages = [LlmMessage.User("the secret plan")] };
}
