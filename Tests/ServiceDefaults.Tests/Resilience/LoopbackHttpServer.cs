using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>What a <see cref="LoopbackHttpServer"/> received.</summary>
internal sealed record RecordedRequest(int Attempt, string Method, string PathAndQuery, string Host, string Body, string? IdempotencyKey);

/// <summary>
/// A real Kestrel server on a free loopback port that records every request and answers through a delegate given
/// the request and its 1-based number at this server.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _count;

    private LoopbackHttpServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int RequestCount => Volatile.Read(ref _count);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(request => request.Attempt)];

    /// <summary>Answers every request with 200 and the body "ok".</summary>
    public static Task<LoopbackHttpServer> StartOkAsync(CancellationToken cancellationToken) =>
        StartAsync((context, _) => context.Response.WriteAsync("ok", context.RequestAborted), cancellationToken);

    public static async Task<LoopbackHttpServer> StartAsync(Func<HttpContext, int, Task> respond, CancellationToken cancellationToken,
        X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new LoopbackHttpServer(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var attempt = Interlocked.Increment(ref server._count);
            server._requests.Enqueue(new RecordedRequest(attempt, context.Request.Method,
                $"{context.Request.Path}{context.Request.QueryString}", context.Request.Host.Value ?? string.Empty, body,
                context.Request.Headers["Idempotency-Key"].FirstOrDefault()));
            await respond(context, attempt);
        });
        await app.StartAsync(cancellationToken);
        server.Address = new Uri(app.Urls.Single());
        return server;
    }

    /// <summary>Answers with the status code and the code as the body.</summary>
    public static Task RespondAsync(HttpContext context, int statusCode)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsync(statusCode.ToString(CultureInfo.InvariantCulture), context.RequestAborted);
    }

    /// <summary>Holds the request open until the client gives up on it (a slow dependency).</summary>
    public static Task HangAsync(HttpContext context) =>
        new TaskCompletionSource().Task.WaitAsync(context.RequestAborted);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
