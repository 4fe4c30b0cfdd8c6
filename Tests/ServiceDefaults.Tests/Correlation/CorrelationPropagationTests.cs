using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Tests.Telemetry;
using Observability.TestInfrastructure.Otlp;

namespace Observability.ServiceDefaults.Tests.Correlation;

/// <summary>A correlation ID travels from one real service to the next in W3C baggage over HttpClient.</summary>
[Collection(TelemetryHosts.Name)]
[Trait("Category", "Integration")]
public sealed partial class CorrelationPropagationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HttpClientCall_ToSecondService_CarriesIdInBaggageOntoBothServicesSpansAndLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var downstreamSettings = TelemetryTestApp.FastExport(receiver, OtlpTransport.Grpc);
        downstreamSettings["OTEL_SERVICE_NAME"] = "downstream";
        await using var downstream = await TelemetryTestApp.StartAsync(downstreamSettings, MapDownstream, ct);
        using var downstreamClient = new HttpClient { BaseAddress = downstream.Client.BaseAddress };
        var upstreamSettings = TelemetryTestApp.FastExport(receiver, OtlpTransport.Grpc);
        upstreamSettings["OTEL_SERVICE_NAME"] = "upstream";
        await using var upstream = await TelemetryTestApp.StartAsync(upstreamSettings, app => MapUpstream(app, downstreamClient), ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/checkout");
        request.Headers.Add(CorrelationId.HeaderName, "chain-42");
        using var response = await upstream.Client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var seen = await response.Content.ReadFromJsonAsync<DownstreamView>(ct);

        Assert.Equal("chain-42", Assert.Single(response.Headers.GetValues(CorrelationId.HeaderName)));
        Assert.NotNull(seen);
        // W3C baggage allows optional whitespace around '=' (.NET 10's propagator writes "key = value").
        Assert.Matches(@"(^|,)\s*correlation\.id\s*=\s*chain-42\s*(,|$)", seen.BaggageHeader);
        Assert.Equal("chain-42", seen.CorrelationId);
        Assert.Equal("chain-42", seen.EchoedHeader);

        var upstreamServer = await receiver.WaitForSpanAsync(
            s => s.Kind == OtlpSpanKind.Server && s.GetString("url.path") == "/checkout", Timeout, ct);
        var clientCall = await receiver.WaitForSpanAsync(
            s => s.Kind == OtlpSpanKind.Client && s.ParentSpanId == upstreamServer.SpanId, Timeout, ct);
        var downstreamServer = await receiver.WaitForSpanAsync(
            s => s.Kind == OtlpSpanKind.Server && s.GetString("url.path") == "/inventory", Timeout, ct);
        Assert.Equal(upstreamServer.TraceId, downstreamServer.TraceId);
        Assert.Equal(clientCall.SpanId, downstreamServer.ParentSpanId);
        Assert.All(new[] { upstreamServer, clientCall, downstreamServer }, span => Assert.Equal("chain-42", span.GetString(CorrelationId.BaggageKey)));

        var upstreamLog = await receiver.WaitForLogRecordAsync(r => r.BodyText == "Checking inventory", Timeout, ct);
        var downstreamLog = await receiver.WaitForLogRecordAsync(r => r.BodyText == "Inventory requested", Timeout, ct);
        Assert.Equal("upstream", upstreamLog.Resource.ServiceName);
        Assert.Equal("downstream", downstreamLog.Resource.ServiceName);
        Assert.Equal("chain-42", upstreamLog.GetString(CorrelationId.BaggageKey));
        Assert.Equal("chain-42", downstreamLog.GetString(CorrelationId.BaggageKey));
        Assert.Equal(downstreamServer.TraceId, downstreamLog.TraceId);
    }

    private static void MapUpstream(WebApplication app, HttpClient downstream) =>
        app.MapGet("/checkout", async (ILogger<CorrelationPropagationTests> logger, CancellationToken cancellationToken) =>
        {
            LogCheckingInventory(logger);
            using var response = await downstream.GetAsync("/inventory", cancellationToken);
            var view = await response.Content.ReadFromJsonAsync<DownstreamView>(cancellationToken);
            return TypedResults.Ok(view! with { EchoedHeader = response.Headers.GetValues(CorrelationId.HeaderName).Single() });
        });

    private static void MapDownstream(WebApplication app) =>
        app.MapGet("/inventory", (HttpRequest request, ILogger<CorrelationPropagationTests> logger) =>
        {
            LogInventoryRequested(logger);
            return TypedResults.Ok(new DownstreamView(request.Headers["baggage"].ToString(), CorrelationId.Current, null));
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking inventory")]
    private static partial void LogCheckingInventory(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inventory requested")]
    private static partial void LogInventoryRequested(ILogger logger);

    internal sealed record DownstreamView(string BaggageHeader, string? CorrelationId, string? EchoedHeader);
}
