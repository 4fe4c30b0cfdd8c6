using System.ClientModel;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Observability.TestInfrastructure.Polling;
using Observability.Worker.Llm;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Observability.Worker.Tests.Llm;

/// <summary>
/// The worker's chat client with <c>Llm:Provider = OpenAICompatible</c> against a real loopback server speaking the
/// Chat Completions protocol: what is sent, what is read, retries, timeouts, the breaker, and the exported spans.
/// </summary>
[Trait("Category", "Integration")]
[Collection(TelemetryListeners.Name)]
public sealed class OpenAICompatibleChatClientTests
{
    private const string ApiKey = "sk-test-5f2c9a7e1b3d4c6a8e0f";

    [Fact]
    public async Task GetResponseAsync_Completion_ReadsTextUsageFinishReasonModelAndCost()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, _) => ChatCompletionsServer.CompletionAsync(context, "Paris.", 1_000_000, 500_000, finishReason: "length"), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:Prices:openai/gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Llm:Prices:openai/gpt-4o-mini:OutputPerMillion"] = "0.60",
        });

        var reply = await host.Client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer briefly."), new ChatMessage(ChatRole.User, "Capital of France?")],
            new ChatOptions { MaxOutputTokens = 20, Temperature = 0.2f }, ct);

        Assert.Equal("Paris.", reply.Text);
        Assert.Equal(ChatFinishReason.Length, reply.FinishReason);
        Assert.Equal(1_000_000, reply.InputTokens);
        Assert.Equal(500_000, reply.OutputTokens);
        Assert.Equal("gpt-4o-mini-2024-07-18", reply.ModelId);
        Assert.Equal("chatcmpl-123", reply.ResponseId);
        Assert.Equal(0.15m + 0.30m, reply.CostUsd);

        var body = Assert.Single(server.Calls).Body;
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        Assert.Equal(20, body.GetProperty(body.TryGetProperty("max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens").GetInt32());
        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble(), 3);
        var messages = body.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Capital of France?", ContentOf(messages[1]));
    }

    [Fact]
    public async Task GetResponseAsync_ModelAndJsonFormatAsked_SentPerRequest()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.CompletionAsync(context, "{}"), ct);
        await using var host = await StartHostAsync(server, ct);

        await host.Client.GetResponseAsync(Request(), new ChatOptions { ModelId = "gpt-4o", ResponseFormat = ChatResponseFormat.Json }, ct);
        await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        var calls = server.Calls;
        Assert.Equal("gpt-4o", calls[0].Body.GetProperty("model").GetString());
        Assert.Equal("json_object", calls[0].Body.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("gpt-4o-mini", calls[1].Body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_ApiKey_SentAsBearerButNeverInSpansOrLogs()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, number) => number == 1 ? ChatCompletionsServer.ErrorAsync(context, 401, echo: context.Request.Headers.Authorization)
                : ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["Llm:OpenAI:ApiKey"] = ApiKey }, serviceDefaults: true);
        using var telemetry = new TelemetryCapture();

        var rejected = await Assert.ThrowsAsync<ClientResultException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));
        await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        Assert.Equal(401, rejected.Status);
        Assert.Equal(2, server.Calls.Count);
        Assert.All(server.Calls, call => Assert.Equal($"Bearer {ApiKey}", call.Authorization));
        Assert.All(server.Calls, call => Assert.Null(call.ApiKey));
        var spans = host.ExportedSpans.Where(span => span.TraceId == telemetry.TraceId).ToList();
        Assert.Equal(2, spans.Count(span => span.Source.Name == LlmTelemetry.Name));
        Assert.Contains(spans, span => span.Source.Name == "System.Net.Http");
        foreach (var span in spans)
        {
            Assert.DoesNotContain(span.TagObjects, tag => Render(tag.Value).Contains(ApiKey, StringComparison.Ordinal));
            Assert.DoesNotContain(ApiKey, span.StatusDescription ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(span.Events, e => e.Tags.Any(tag => Render(tag.Value).Contains(ApiKey, StringComparison.Ordinal)));
        }

        var logs = host.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, record => $"{record.Message} {record.Exception}".Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetResponseAsync_NoApiKey_SendsNoAuthorization()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);

        await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        Assert.Null(Assert.Single(server.Calls).Authorization);
    }

    [Fact]
    public async Task GetResponseAsync_AzureStyle_SendsApiKeyHeaderAndApiVersionAndRecordsProviderName()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:OpenAI:ApiKey"] = ApiKey,
            ["Llm:OpenAI:ApiKeyHeader"] = "api-key",
            ["Llm:OpenAI:ApiVersion"] = "2024-10-21",
            ["Llm:OpenAI:ProviderName"] = "azure.ai.openai",
        });
        using var telemetry = new TelemetryCapture();

        await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        var call = Assert.Single(server.Calls);
        Assert.Equal(ApiKey, call.ApiKey);
        Assert.Null(call.Authorization);
        Assert.Equal("/v1/chat/completions?api-version=2024-10-21", call.PathAndQuery);
        Assert.Equal("azure.ai.openai", Assert.Single(telemetry.LlmSpans).GetTagItem("gen_ai.provider.name"));
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedThenOk_RetriesAfterTheServersRetryAfter()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, number) => number == 1 ? ChatCompletionsServer.ErrorAsync(context, 429, retryAfter: "1")
                : ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);

        var reply = await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        Assert.Equal("Hello there.", reply.Text);
        var calls = server.Calls;
        Assert.Equal(2, calls.Count);
        // The retry waited for the server's Retry-After (1 s), not the 10 ms back-off.
        Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task GetResponseAsync_AlwaysRateLimited_ThrowsAfterTheRetriesWithTheStatus()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, _) => ChatCompletionsServer.ErrorAsync(context, 429, retryAfter: "0"), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["Llm:Resilience:MaxRetryAttempts"] = "2" });

        var exception = await Assert.ThrowsAsync<ClientResultException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        Assert.Equal(429, exception.Status);
        Assert.Equal("429", LlmFailure.ErrorType(exception));
        Assert.Equal(TimeSpan.Zero, LlmFailure.RetryAfter(exception, TimeProvider.System));
        Assert.Equal(3, LlmFailure.Attempts(exception));
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_ServerError_RetriedThenThrows()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.ErrorAsync(context, 503), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["Llm:Resilience:MaxRetryAttempts"] = "1" });

        var exception = await Assert.ThrowsAsync<ClientResultException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        Assert.Equal(503, exception.Status);
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_ServerErrorThenOk_Succeeds()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, number) => number == 1 ? ChatCompletionsServer.ErrorAsync(context, 500) : ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);

        var reply = await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        Assert.Equal("Hello there.", reply.Text);
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_RejectedRequest_NotRetried()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.ErrorAsync(context, 400), ct);
        await using var host = await StartHostAsync(server, ct);

        var exception = await Assert.ThrowsAsync<ClientResultException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        Assert.Equal("400", LlmFailure.ErrorType(exception));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ServerSlowerThanAttemptTimeout_EachAttemptTimesOut()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        // Answered until the client has made one call within the 200 ms (its connection and code paths warm: a cold
        // first call can take longer than that on a loaded machine), then every call hangs.
        var hang = false;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, _) => Volatile.Read(ref hang) ? ChatCompletionsServer.HangAsync(context) : ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:Resilience:AttemptTimeout"] = "00:00:00.200",
            ["Llm:Resilience:MaxRetryAttempts"] = "1",
        });
        await Poll.UntilAsync(
            async token =>
            {
                try
                {
                    await host.Client.GetResponseAsync(Request(), cancellationToken: token);
                    return true;
                }
                catch (TimeoutRejectedException)
                {
                    return false;
                }
            },
            warm => warm,
            ct);
        Volatile.Write(ref hang, true);
        var answered = server.Calls.Count;

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        // Two attempts, each ended by the attempt timeout (the count comes from the pipeline). How many reached the
        // server before the client gave up is still a race against 200 ms, so about the server only "no third attempt".
        Assert.Equal("timeout", LlmFailure.ErrorType(exception));
        Assert.Equal(2, LlmFailure.Attempts(exception));
        Assert.InRange(server.Calls.Count - answered, 0, 2);
    }

    [Fact]
    public async Task GetResponseAsync_SlowAnswerWithinTheAttemptTimeout_Succeeds()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, _) => ChatCompletionsServer.SlowCompletionAsync(context, TimeSpan.FromMilliseconds(300)), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["Llm:Resilience:AttemptTimeout"] = "00:00:05" });

        var reply = await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        Assert.Equal("Hello there.", reply.Text);
        Assert.Single(server.Calls);
    }

    [Theory]
    [InlineData("{\"choices\": [")]
    [InlineData("not json at all")]
    public async Task GetResponseAsync_MalformedBody_FailsAsInvalidResponseWithoutRetry(string body)
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.RawAsync(context, body), ct);
        await using var host = await StartHostAsync(server, ct);

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        Assert.Equal("invalid_response", LlmFailure.ErrorType(exception));
        Assert.False(LlmFailure.IsTransient(exception));
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderKeepsFailing_CircuitOpensAndFailsFastWithoutCalling()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.ErrorAsync(context, 503), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:Resilience:MaxRetryAttempts"] = "0",
            ["Llm:Resilience:BreakerMinimumThroughput"] = "2",
            ["Llm:Resilience:BreakerFailureRatio"] = "0.5",
        });

        await Assert.ThrowsAsync<ClientResultException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));
        await Assert.ThrowsAsync<ClientResultException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));
        var open = await Assert.ThrowsAsync<BrokenCircuitException>(() => host.Client.GetResponseAsync(Request(), cancellationToken: ct));

        Assert.Equal("circuit_open", LlmFailure.ErrorType(open));
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_ExportedSpan_HasGenAiAttributesServerCostAndHttpChild()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync((context, _) => ChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Llm:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        }, serviceDefaults: true);
        using var telemetry = new TelemetryCapture();

        await host.Client.GetResponseAsync(Request(), cancellationToken: ct);

        var spans = host.ExportedSpans.Where(span => span.TraceId == telemetry.TraceId).ToList();
        var span = Assert.Single(spans, s => s.Source.Name == LlmTelemetry.Name);
        Assert.Equal("chat gpt-4o-mini", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(server.BaseUrl.Port, Convert.ToInt32(span.GetTagItem("server.port"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(11, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(((11 * 0.15) + (3 * 0.60)) / 1_000_000, (double)span.GetTagItem(LlmCost.Key)!, 12);
        // The HTTP call is a child of the chat span.
        Assert.Contains(spans, http => http.Source.Name == "System.Net.Http" && http.ParentSpanId == span.SpanId);
    }

    [Fact]
    public async Task GetResponseAsync_CaptureMessageContent_ExportedMessagesAreMaskedAndStayJson()
    {
        using var deadline = TestTimeout.Start();
        var ct = deadline.Token;
        await using var server = await ChatCompletionsServer.StartAsync(
            (context, _) => ChatCompletionsServer.CompletionAsync(context, "Write to jane.doe@example.com today."), ct);
        await using var host = await StartHostAsync(server, ct, new() { [LlmExtensions.CaptureMessageContent] = "true" }, serviceDefaults: true);
        using var telemetry = new TelemetryCapture();

        await host.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "Mail the report to jane.doe@example.com.")], cancellationToken: ct);

        var span = Assert.Single(host.ExportedSpans, s => s.TraceId == telemetry.TraceId && s.Source.Name == LlmTelemetry.Name);
        foreach (var key in new[] { "gen_ai.input.messages", "gen_ai.output.messages" })
        {
            var value = Assert.IsType<string>(span.GetTagItem(key));
            Assert.DoesNotContain("jane.doe@example.com", value, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(value);
            Assert.Contains("***@***", json.RootElement[0].GetProperty("parts")[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        }
    }

    private static ChatMessage[] Request() => [new ChatMessage(ChatRole.User, "Say hello.")];

    private static string? ContentOf(JsonElement message) => message.GetProperty("content") switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        var parts => parts[0].GetProperty("text").GetString(),
    };

    private static string Render(object? value) => value switch
    {
        null => "",
        string text => text,
        System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>()),
        _ => JsonSerializer.Serialize(value),
    };

    private static Task<LlmTestHost> StartHostAsync(ChatCompletionsServer server, CancellationToken cancellationToken,
        Dictionary<string, string?>? extra = null, bool serviceDefaults = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAICompatible",
            ["Llm:OpenAI:BaseUrl"] = server.BaseUrl.ToString(),
            ["Llm:Resilience:BaseDelay"] = "00:00:00.010",
            ["Llm:Resilience:UseJitter"] = "false",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return LlmTestHost.StartAsync(settings, cancellationToken, serviceDefaults);
    }
}
