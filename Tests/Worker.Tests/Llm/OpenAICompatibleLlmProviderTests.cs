using System.Text.Json;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>The Chat Completions client against a real loopback server, through the ServiceDefaults HTTP pipeline.</summary>
[Trait("Category", "Integration")]
[Collection(TelemetryListeners.Name)]
public sealed class OpenAICompatibleLlmProviderTests
{
    private const string ApiKey = "sk-test-5f2c9a7e1b3d4c6a8e0f";

    [Fact]
    public async Task CompleteAsync_Completion_ParsesTextUsageFinishReasonModelAndCost()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, _) => FakeChatCompletionsServer.CompletionAsync(context, "Paris.", 1_000_000, 500_000, finishReason: "length"), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Llm:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        });

        var reply = await host.Client.CompleteAsync(new LlmRequest
        {
            Messages = [LlmMessage.System("Answer briefly."), LlmMessage.User("Capital of France?")],
            MaxTokens = 20,
            Temperature = 0.2,
        }, ct);

        Assert.Equal("Paris.", reply.Text);
        Assert.Equal("length", reply.FinishReason);
        Assert.Equal(1_000_000, reply.InputTokens);
        Assert.Equal(500_000, reply.OutputTokens);
        Assert.Equal("gpt-4o-mini-2024-07-18", reply.ResponseModel);
        Assert.Equal("openai", reply.Provider);
        Assert.Equal("chatcmpl-123", reply.ResponseId);
        Assert.Equal(0.15m + 0.30m, reply.CostUsd);

        var body = Assert.Single(server.Calls).Body;
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        Assert.Equal(20, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble());
        var messages = body.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Capital of France?", messages[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task CompleteAsync_ApiKey_SentAsBearerButNeverInSpansOrLogs()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, number) => number == 1 ? FakeChatCompletionsServer.ErrorAsync(context, 401, echo: context.Request.Headers.Authorization)
                : FakeChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["Llm:OpenAI:ApiKey"] = ApiKey });
        using var telemetry = new TelemetryCapture(host.Services);

        var rejected = await Assert.ThrowsAsync<LlmRequestRejectedException>(() => host.Client.CompleteAsync(Request(), ct));
        await host.Client.CompleteAsync(Request(), ct);

        // The server echoed the key in its error body; the exception keeps the explanation but not the key.
        Assert.Contains("Bearer ***", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, rejected.Message, StringComparison.Ordinal);

        Assert.All(server.Calls, call => Assert.Equal($"Bearer {ApiKey}", call.Authorization));
        Assert.All(server.Calls, call => Assert.Null(call.ApiKey));
        Assert.Equal(2, telemetry.LlmSpans.Count);
        Assert.Contains(telemetry.AllSpans, span => span.Source.Name == "System.Net.Http");
        foreach (var span in telemetry.AllSpans)
        {
            Assert.DoesNotContain(span.TagObjects, tag => Render(tag.Value).Contains(ApiKey, StringComparison.Ordinal));
            Assert.DoesNotContain(ApiKey, span.StatusDescription ?? "", StringComparison.Ordinal);
        }

        Assert.Contains(host.Logs.Messages, message => message.Contains("failed with 401", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Messages, message => message.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteAsync_AzureStyle_SendsApiKeyHeaderAndApiVersion()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, _) => FakeChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["Llm:OpenAI:ApiKey"] = ApiKey,
            ["Llm:OpenAI:ApiKeyHeader"] = "api-key",
            ["Llm:OpenAI:ApiVersion"] = "2024-10-21",
            ["Llm:OpenAI:ProviderName"] = "azure.ai.openai",
        });

        var reply = await host.Client.CompleteAsync(Request(), ct);

        var call = Assert.Single(server.Calls);
        Assert.Equal(ApiKey, call.ApiKey);
        Assert.Null(call.Authorization);
        Assert.Equal("/v1/chat/completions?api-version=2024-10-21", call.PathAndQuery);
        Assert.Equal("azure.ai.openai", reply.Provider);
    }

    [Fact]
    public async Task CompleteAsync_RateLimitedThenOk_RetriesAfterRetryAfterWithSameIdempotencyKey()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, number) => number == 1 ? FakeChatCompletionsServer.ErrorAsync(context, 429, retryAfter: "1")
                : FakeChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);

        var reply = await host.Client.CompleteAsync(Request(), ct);

        Assert.Equal("Hello there.", reply.Text);
        var calls = server.Calls;
        Assert.Equal(2, calls.Count);
        Assert.False(string.IsNullOrEmpty(calls[0].IdempotencyKey));
        Assert.Equal(calls[0].IdempotencyKey, calls[1].IdempotencyKey);
        // The retry waited for the server's Retry-After (1 s), not the 10 ms back-off.
        Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task CompleteAsync_SeparateCalls_UseDifferentIdempotencyKeys()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, _) => FakeChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);

        await host.Client.CompleteAsync(Request(), ct);
        await host.Client.CompleteAsync(Request(), ct);

        var calls = server.Calls;
        Assert.NotEqual(calls[0].IdempotencyKey, calls[1].IdempotencyKey);
    }

    [Fact]
    public async Task CompleteAsync_AlwaysRateLimited_ThrowsRateLimitedWithRetryAfter()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, _) => FakeChatCompletionsServer.ErrorAsync(context, 429, retryAfter: "0"), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["HttpClient:Resilience:Llm:Retry:MaxRetryAttempts"] = "2" });

        var exception = await Assert.ThrowsAsync<LlmRateLimitedException>(() => host.Client.CompleteAsync(Request(), ct));

        Assert.Equal(TimeSpan.Zero, exception.RetryAfter);
        Assert.Equal("429", exception.ErrorType);
        Assert.Equal(3, server.Calls.Count);
    }

    [Fact]
    public async Task CompleteAsync_ServerError_RetriedThenThrowsServerError()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, _) => FakeChatCompletionsServer.ErrorAsync(context, 503), ct);
        await using var host = await StartHostAsync(server, ct, new() { ["HttpClient:Resilience:Llm:Retry:MaxRetryAttempts"] = "1" });

        var exception = await Assert.ThrowsAsync<LlmServerException>(() => host.Client.CompleteAsync(Request(), ct));

        Assert.Equal(503, exception.StatusCode);
        Assert.Contains("status 503", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task CompleteAsync_ServerErrorThenOk_Succeeds()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, number) => number == 1 ? FakeChatCompletionsServer.ErrorAsync(context, 500)
                : FakeChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);

        var reply = await host.Client.CompleteAsync(Request(), ct);

        Assert.Equal("Hello there.", reply.Text);
        Assert.Equal(2, server.Calls.Count);
    }

    [Fact]
    public async Task CompleteAsync_ServerHangs_ThrowsTimeout()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync((context, _) => FakeChatCompletionsServer.HangAsync(context), ct);
        await using var host = await StartHostAsync(server, ct, new()
        {
            ["HttpClient:Resilience:Llm:AttemptTimeout:Timeout"] = "00:00:00.200",
            ["HttpClient:Resilience:Llm:Retry:MaxRetryAttempts"] = "1",
        });

        var exception = await Assert.ThrowsAsync<LlmTimeoutException>(() => host.Client.CompleteAsync(Request(), ct));

        Assert.Equal("timeout", exception.ErrorType);
        Assert.Equal(2, server.Calls.Count);
    }

    [Theory]
    [InlineData("{\"choices\": [")]
    [InlineData("not json at all")]
    [InlineData("{\"model\": \"gpt-4o-mini\", \"choices\": []}")]
    [InlineData("{\"model\": \"gpt-4o-mini\", \"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": \"hi\"}, \"finish_reason\": \"stop\"}]}")]
    public async Task CompleteAsync_MalformedOrIncompleteBody_ThrowsBadResponse(string body)
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync((context, _) => FakeChatCompletionsServer.RawAsync(context, body), ct);
        await using var host = await StartHostAsync(server, ct);

        var exception = await Assert.ThrowsAsync<LlmBadResponseException>(() => host.Client.CompleteAsync(Request(), ct));

        Assert.Equal("invalid_response", exception.ErrorType);
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task CompleteAsync_Completion_RecordsClientSpanWithServerAddressAndPort()
    {
        using var deadline = Deadline();
        var ct = deadline.Token;
        await using var server = await FakeChatCompletionsServer.StartAsync(
            (context, _) => FakeChatCompletionsServer.CompletionAsync(context), ct);
        await using var host = await StartHostAsync(server, ct);
        using var telemetry = new TelemetryCapture(host.Services);

        await host.Client.CompleteAsync(Request(), ct);

        var span = Assert.Single(telemetry.LlmSpans);
        Assert.Equal("chat gpt-4o-mini", span.DisplayName);
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(server.BaseUrl.Port, span.GetTagItem("server.port"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini-2024-07-18", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(11, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(3, span.GetTagItem("gen_ai.usage.output_tokens"));
        // The HTTP call is a child of the LLM span.
        Assert.Contains(telemetry.AllSpans, http => http.Source.Name == "System.Net.Http" && http.ParentSpanId == span.SpanId);
    }

    private static LlmRequest Request() => new() { Messages = [LlmMessage.User("Say hello.")] };

    private static CancellationTokenSource Deadline()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(30));
        return source;
    }

    private static string Render(object? value) => value switch
    {
        null => "",
        string text => text,
        System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>()),
        _ => JsonSerializer.Serialize(value),
    };

    private static Task<LlmTestHost> StartHostAsync(FakeChatCompletionsServer server, CancellationToken cancellationToken,
        Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAICompatible",
            ["Llm:OpenAI:BaseUrl"] = server.BaseUrl.ToString(),
            ["HttpClient:Resilience:Llm:Retry:Delay"] = "00:00:00.010",
            ["HttpClient:Resilience:Llm:Retry:UseJitter"] = "false",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return LlmTestHost.StartAsync(settings, cancellationToken, serviceDefaults: true);
    }
}
