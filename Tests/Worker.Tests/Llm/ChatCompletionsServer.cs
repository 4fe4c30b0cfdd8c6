using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Observability.Worker.Tests.Llm;

/// <summary>What the server received.</summary>
internal sealed record ChatCall(int Number, string PathAndQuery, string? Authorization, string? ApiKey, JsonElement Body,
    DateTimeOffset ReceivedAt);

/// <summary>
/// A real Kestrel server on a free loopback port speaking the OpenAI Chat Completions protocol at
/// <c>/v1/chat/completions</c>, answering as the API does (completions with usage, OpenAI-style error bodies, 429
/// with <c>Retry-After</c>, 5xx, slow or hanging answers, malformed bodies). Each call is recorded and answered by the
/// test's delegate, given the call's 1-based number.
/// </summary>
internal sealed class ChatCompletionsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ChatCall> _calls = new();
    private int _count;

    private ChatCompletionsServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as <c>Llm:OpenAI:BaseUrl</c> (ends in <c>/v1</c>).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ChatCall> Calls => [.. _calls.OrderBy(call => call.Number)];

    public static async Task<ChatCompletionsServer> StartAsync(Func<HttpContext, int, Task> respond,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ChatCompletionsServer(app);
        app.MapPost("/v1/chat/completions", async context =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
            var number = Interlocked.Increment(ref server._count);
            var headers = context.Request.Headers;
            server._calls.Enqueue(new ChatCall(number, $"{context.Request.Path}{context.Request.QueryString}",
                headers.Authorization.FirstOrDefault(), headers["api-key"].FirstOrDefault(), body, DateTimeOffset.UtcNow));
            await respond(context, number);
        });
        await app.StartAsync(cancellationToken);
        server.BaseUrl = new Uri(new Uri(app.Urls.Single()), "/v1");
        return server;
    }

    /// <summary>A well-formed completion with the given text, usage and model, as the API sends it.</summary>
    public static Task CompletionAsync(HttpContext context, string text = "Hello there.", int promptTokens = 11,
        int completionTokens = 3, string model = "gpt-4o-mini-2024-07-18", string finishReason = "stop")
    {
        var body = new
        {
            id = "chatcmpl-123",
            @object = "chat.completion",
            created = 1_700_000_000,
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = finishReason } },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        };
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    /// <summary>A completion sent after <paramref name="delay"/> (a slow model).</summary>
    public static async Task SlowCompletionAsync(HttpContext context, TimeSpan delay)
    {
        await Task.Delay(delay, context.RequestAborted);
        await CompletionAsync(context);
    }

    /// <summary>An error status with an OpenAI-style error body (ending with <paramref name="echo"/>) and optional Retry-After.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string? retryAfter = null, string? echo = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return context.Response.WriteAsJsonAsync(new { error = new { message = $"status {status} {echo}".TrimEnd(), type = "test" } },
            context.RequestAborted);
    }

    /// <summary>Raw text as the body, with a JSON content type.</summary>
    public static Task RawAsync(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Holds the call open until the client gives up on it.</summary>
    public static Task HangAsync(HttpContext context) => new TaskCompletionSource().Task.WaitAsync(context.RequestAborted);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
