using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Tests.Telemetry;
using Observability.TestInfrastructure.Otlp;

namespace Observability.ServiceDefaults.Tests.Correlation;

/// <summary>Correlation IDs are accepted, replaced or generated, echoed, and put on spans and logs.</summary>
[Collection(TelemetryHosts.Name)]
[Trait("Category", "Integration")]
public sealed partial class CorrelationIdTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Request_ValidHeader_IsEchoedAndOnSpanAndLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        request.Headers.Add(CorrelationId.HeaderName, "order-2024.11_abc");
        using var response = await app.Client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("order-2024.11_abc", Assert.Single(response.Headers.GetValues(CorrelationId.HeaderName)));
        Assert.Equal("order-2024.11_abc", await response.Content.ReadAsStringAsync(ct));
        await AssertOnTelemetryAsync(receiver, "order-2024.11_abc", ct);
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("semi;colon")]
    [InlineData("")]
    public async Task Request_InvalidHeader_IsReplacedByNewId(string invalid)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        request.Headers.TryAddWithoutValidation(CorrelationId.HeaderName, invalid);
        using var response = await app.Client.SendAsync(request, ct);

        var echoed = Assert.Single(response.Headers.GetValues(CorrelationId.HeaderName));
        Assert.NotEqual(invalid, echoed);
        Assert.Matches("^[0-9a-f]{32}$", echoed);
        Assert.Equal(echoed, await response.Content.ReadAsStringAsync(ct));
        await AssertOnTelemetryAsync(receiver, echoed, ct);
    }

    [Fact]
    public async Task Request_NoHeader_GetsGeneratedId()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var first = await app.Client.GetAsync("/work", ct);
        using var second = await app.Client.GetAsync("/work", ct);

        var firstId = Assert.Single(first.Headers.GetValues(CorrelationId.HeaderName));
        var secondId = Assert.Single(second.Headers.GetValues(CorrelationId.HeaderName));
        Assert.True(CorrelationId.IsValid(firstId));
        Assert.NotEqual(firstId, secondId);
        await AssertOnTelemetryAsync(receiver, firstId, ct);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Request_BaggageWithoutHeader_AdoptsBaggageId(bool withTraceParent)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        request.Headers.Add("baggage", "tenant=blue,correlation.id=from-upstream-1");
        if (withTraceParent)
        {
            request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        }

        using var response = await app.Client.SendAsync(request, ct);

        Assert.Equal("from-upstream-1", Assert.Single(response.Headers.GetValues(CorrelationId.HeaderName)));
        Assert.Equal("from-upstream-1", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Request_HeaderAndBaggageDisagree_HeaderWins()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/work");
        request.Headers.Add(CorrelationId.HeaderName, "from-header");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        request.Headers.Add("baggage", "correlation.id=from-baggage");
        using var response = await app.Client.SendAsync(request, ct);

        Assert.Equal("from-header", Assert.Single(response.Headers.GetValues(CorrelationId.HeaderName)));
        Assert.Equal("from-header", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Request_HandlerThrowsBehindExceptionHandler_StillEchoesId()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        await using var app = await StartAsync(receiver, ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/fail");
        request.Headers.Add(CorrelationId.HeaderName, "failing-request");
        using var response = await app.Client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("failing-request", Assert.Single(response.Headers.GetValues(CorrelationId.HeaderName)));
    }

    private static async Task AssertOnTelemetryAsync(OtlpCaptureReceiver receiver, string id, CancellationToken ct)
    {
        var server = await receiver.WaitForSpanAsync(
            s => s.Kind == OtlpSpanKind.Server && s.GetString(CorrelationId.BaggageKey) == id, Timeout, ct);
        Assert.Equal("GET /work", server.Name);
        var child = await receiver.WaitForSpanAsync(s => s.Name == "work.step" && s.TraceId == server.TraceId, Timeout, ct);
        Assert.Equal(id, child.GetString(CorrelationId.BaggageKey));
        var log = await receiver.WaitForLogRecordAsync(r => r.BodyText == "Working" && r.TraceId == server.TraceId, Timeout, ct);
        Assert.Equal(id, log.GetString(CorrelationId.BaggageKey));
    }

    private static Task<TelemetryTestApp> StartAsync(OtlpCaptureReceiver receiver, CancellationToken ct) =>
        TelemetryTestApp.StartAsync(TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf), Map, ct);

    private static void Map(WebApplication app)
    {
        app.MapGet("/work", (ILogger<CorrelationIdTests> logger) =>
        {
            using var step = CorrelationTestSources.Source.StartActivity("work.step");
            LogWorking(logger);
            return CorrelationId.Current;
        });
        // The exception handler clears the response headers; the ID is added back when the response starts.
        // (An exception escaping every middleware gets Kestrel's bare 500, whose headers Kestrel resets.)
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return Task.CompletedTask;
            },
        });
        app.MapGet("/fail", IResult () => throw new InvalidOperationException("failed on purpose"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Working")]
    private static partial void LogWorking(ILogger logger);
}
