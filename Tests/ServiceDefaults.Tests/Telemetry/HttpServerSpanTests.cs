using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Observability.TestInfrastructure.Otlp;

namespace Observability.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// The ASP.NET Core server span, as exported, follows the HTTP semantic conventions (from the OpenTelemetry
/// instrumentation, with ServiceDefaults' probe filter, exception recording and masking).
/// </summary>
[Collection(TelemetryHosts.Name)]
[Trait("Category", "Integration")]
public sealed class HttpServerSpanTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    // Named under the root namespace, so the defaults trace it ("Observability.*").
    private static readonly ActivitySource ProbeSource = new(typeof(HttpServerSpanTests).FullName!);

    [Fact]
    public async Task ServerSpan_RoutedRequest_HasNameAndAttributes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);
        var port = new Uri(app.App.Urls.First()).Port;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/7?token=s3cr3t-value&page=2&flag");
        request.Headers.UserAgent.ParseAdd("span-tests/1.0");
        using var response = await app.Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var span = await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/items/7", Timeout, ct);
        Assert.Equal("GET /items/{id}", span.Name);
        Assert.Equal(OtlpSpanKind.Server, span.Kind);
        Assert.Equal("Microsoft.AspNetCore", span.Scope.Name);
        Assert.Equal("GET", span.GetString("http.request.method"));
        Assert.Equal("http", span.GetString("url.scheme"));
        // The instrumentation redacts every query value (and keeps the "?").
        Assert.Equal("?token=Redacted&page=Redacted&flag", span.GetString("url.query"));
        Assert.Equal("/items/{id}", span.GetString("http.route"));
        Assert.Equal(200L, span.Attributes["http.response.status_code"]);
        Assert.Equal("127.0.0.1", span.GetString("server.address"));
        Assert.Equal((long)port, span.Attributes["server.port"]);
        Assert.Equal("span-tests/1.0", span.GetString("user_agent.original"));
        Assert.Equal("1.1", span.GetString("network.protocol.version"));
        Assert.Equal(OtlpStatusCode.Unset, span.StatusCode);
        Assert.False(span.Attributes.ContainsKey("error.type"));

        // The caller's HttpClient span is recorded in this process too: its url.full must not leak the query value.
        var client = await receiver.WaitForSpanAsync(
            s => s.Kind == OtlpSpanKind.Client && s.TraceId == span.TraceId, Timeout, ct);
        Assert.Equal(span.ParentSpanId, client.SpanId);
        Assert.DoesNotContain("s3cr3t-value", client.GetString("url.full") ?? string.Empty, StringComparison.Ordinal);
        // Traces only: ASP.NET Core's own "Request starting" log carries the raw query (the masking feature's concern).
        Assert.DoesNotContain(receiver.Requests, r => r.Signal == OtlpSignal.Traces && r.ContainsText("s3cr3t-value"));
    }

    [Fact]
    public async Task ServerSpan_ServerErrorStatus_IsErrorWithStatusCodeAsType()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var response = await app.Client.GetAsync("/unavailable", ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        var span = await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/unavailable", Timeout, ct);
        Assert.Equal("GET /unavailable", span.Name);
        Assert.Equal(503L, span.Attributes["http.response.status_code"]);
        Assert.Equal("503", span.GetString("error.type"));
        Assert.Equal(OtlpStatusCode.Error, span.StatusCode);
    }

    [Fact]
    public async Task ServerSpan_UnhandledException_RecordsExceptionEventAndType()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var response = await app.Client.PostAsync("/explode", content: null, ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var span = await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/explode", Timeout, ct);
        Assert.Equal("POST /explode", span.Name);
        Assert.Equal(500L, span.Attributes["http.response.status_code"]);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetString("error.type"));
        Assert.Equal(OtlpStatusCode.Error, span.StatusCode);
        var exceptionEvent = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, exceptionEvent.Attributes["exception.type"]);
        Assert.Equal("The widget exploded", exceptionEvent.Attributes["exception.message"]);
        Assert.Contains(nameof(Explode), exceptionEvent.Attributes["exception.stacktrace"] as string, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerSpan_ExceptionHandledByExceptionHandler_IsStillRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await TelemetryTestApp.StartAsync(
            TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf),
            webApp =>
            {
                webApp.UseExceptionHandler(new ExceptionHandlerOptions
                {
                    ExceptionHandler = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                        return context.Response.WriteAsync("sorry", context.RequestAborted);
                    },
                });
                Map(webApp);
            },
            ct);

        using var response = await app.Client.PostAsync("/explode", content: null, ct);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var span = await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/explode", Timeout, ct);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetString("error.type"));
        Assert.Equal(OtlpStatusCode.Error, span.StatusCode);
        Assert.Contains(span.Events, e => e.Name == "exception" && (string?)e.Attributes["exception.message"] == "The widget exploded");
    }

    [Fact]
    public async Task ServerSpan_NoRouteMatched_IsNamedByMethodWithoutError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var response = await app.Client.DeleteAsync("/nowhere", ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var span = await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/nowhere", Timeout, ct);
        Assert.Equal("DELETE", span.Name);
        Assert.False(span.Attributes.ContainsKey("http.route"));
        Assert.Equal(404L, span.Attributes["http.response.status_code"]);
        Assert.Equal(OtlpStatusCode.Unset, span.StatusCode);
    }

    [Fact]
    public async Task ServerSpan_UnknownMethod_IsOtherWithOriginalKept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var request = new HttpRequestMessage(new HttpMethod("PURGE"), "/cache");
        using var response = await app.Client.SendAsync(request, ct);

        var span = await receiver.WaitForSpanAsync(s => s.GetString("url.path") == "/cache", Timeout, ct);
        Assert.Equal("_OTHER", span.GetString("http.request.method"));
        Assert.Equal("PURGE", span.GetString("http.request.method_original"));
        Assert.Equal("HTTP /cache", span.Name);
    }

    [Fact]
    public async Task ServerSpan_ProbePaths_AreNeitherSampledNorExported()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        string[] probes = ["/health", "/alive", "/ready", "/status", "/metrics", "/health/database", "/HEALTH"];

        await using (var app = await StartAsync(receiver, ct))
        {
            foreach (var probe in probes)
            {
                using var probeResponse = await app.Client.GetAsync(probe, ct);
                Assert.Equal(HttpStatusCode.OK, probeResponse.StatusCode);
            }

            using var response = await app.Client.GetAsync("/items/1", ct);
            await app.App.StopAsync(ct);
        }

        Assert.Contains(receiver.Spans, s => s.GetString("url.path") == "/items/1");
        var probeTraces = receiver.Spans
            .Where(s => s.Kind == OtlpSpanKind.Server && probes.Contains(s.GetString("url.path"), StringComparer.OrdinalIgnoreCase))
            .ToList();
        Assert.Empty(probeTraces);
        // Not sampled, not just filtered: the span each probe handler starts is dropped with its parent.
        Assert.Contains(receiver.Spans, s => s.Name == "items.child");
        Assert.DoesNotContain(receiver.Spans, s => s.Name == "probe.child");
    }

    private static Task<TelemetryTestApp> StartAsync(OtlpCaptureReceiver receiver, CancellationToken ct) =>
        TelemetryTestApp.StartAsync(TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf), Map, ct);

    private static void Map(WebApplication app)
    {
        app.MapGet("/items/{id}", (int id) =>
        {
            using var child = ProbeSource.StartActivity("items.child");
            return TypedResults.Ok(id);
        });
        app.MapGet("/unavailable", () => TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapPost("/explode", Explode);
        app.MapMethods("/cache", ["PURGE"], () => TypedResults.NoContent());
        foreach (var probe in new[] { "/health", "/alive", "/ready", "/status", "/metrics", "/health/database" })
        {
            app.MapGet(probe, () =>
            {
                using var child = ProbeSource.StartActivity("probe.child");
                return "ok";
            });
        }
    }

    private static IResult Explode() => throw new InvalidOperationException("The widget exploded");
}
