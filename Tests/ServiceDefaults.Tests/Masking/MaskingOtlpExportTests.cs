using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Masking;
using Observability.TestInfrastructure.Otlp;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Tests.Masking;

/// <summary>
/// Secrets planted in spans and logs are absent from the bytes the real OTLP exporter sends to a real receiver,
/// and their masked forms are present.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class MaskingOtlpExportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static readonly string[] PlantedSecrets =
        [Secrets.DbPassword, Secrets.BearerToken, Secrets.Jwt, Secrets.Email, Secrets.Card, Secrets.CardDigits, Secrets.ApiKey];

    [Fact]
    public async Task Export_SpanWithSecrets_ExportedBytesHoldOnlyMaskedForms()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var sourceName = "Observability.Tests.Masking." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);

        using (var sdk = CreateSdk(receiver, sourceName))
        {
            using var activity = source.StartActivity("GET /orders", ActivityKind.Server)!;
            activity.SetTag("db.connection_string", Secrets.ConnectionString);
            activity.SetTag("db.query.text", "SELECT 1 -- " + Secrets.ConnectionString);
            activity.SetTag("http.request.header.authorization", new[] { Secrets.AuthorizationHeader });
            activity.SetTag("auth.header", Secrets.AuthorizationHeader);
            activity.SetTag("enduser.token", Secrets.Jwt);
            activity.SetTag("note", "sent by " + Secrets.Email);
            activity.SetTag("payment", "card " + Secrets.Card);
            activity.SetTag("api_key", Secrets.ApiKey);
            activity.SetTag("http.request.method", "GET");
            activity.AddEvent(new ActivityEvent("audit", tags: new ActivityTagsCollection
            {
                ["password"] = Secrets.DbPassword,
                ["detail"] = "reset link sent to " + Secrets.Email,
            }));
            activity.AddException(new InvalidOperationException("login failed for " + Secrets.Email + " with " + Secrets.AuthorizationHeader));
            activity.SetStatus(ActivityStatusCode.Error, "jwt " + Secrets.Jwt + " rejected");
            activity.Stop();
            Assert.True(sdk.TracerProvider.ForceFlush());
        }

        var span = await receiver.WaitForSpanAsync(s => s.Scope.Name == sourceName, Timeout, ct);
        var request = Assert.Single(receiver.Requests, r => r.Signal == OtlpSignal.Traces);

        AssertNoSecret(request);
        Assert.Equal("***", span.Attributes["db.connection_string"]);
        Assert.Equal("SELECT 1 -- " + Secrets.MaskedConnectionString, span.Attributes["db.query.text"]);
        Assert.Equal("***", span.Attributes["http.request.header.authorization"]);
        Assert.Equal("Bearer ***", span.Attributes["auth.header"]);
        Assert.Equal("***", span.Attributes["enduser.token"]);
        Assert.Equal("sent by ***@***", span.Attributes["note"]);
        Assert.Equal("card ***", span.Attributes["payment"]);
        Assert.Equal("***", span.Attributes["api_key"]);
        Assert.Equal("GET", span.Attributes["http.request.method"]);
        Assert.Equal("jwt *** rejected", span.StatusMessage);
        var audit = Assert.Single(span.Events, e => e.Name == "audit");
        Assert.Equal("***", audit.Attributes["password"]);
        Assert.Equal("reset link sent to ***@***", audit.Attributes["detail"]);
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal("login failed for ***@*** with Bearer ***", exception.Attributes["exception.message"]);
        Assert.Contains("login failed for ***@*** with Bearer ***", Assert.IsType<string>(exception.Attributes["exception.stacktrace"]), StringComparison.Ordinal);
        Assert.True(request.ContainsText("Password=***"));
    }

    [Fact]
    public async Task Export_LogWithSecrets_ExportedBytesHoldOnlyMaskedForms()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var category = "Observability.Tests.Masking." + Guid.NewGuid().ToString("N");

        using (var sdk = CreateSdk(receiver, sourceName: null))
        {
            var logger = sdk.GetLoggerFactory().CreateLogger(category);
            var failure = new InvalidOperationException("cannot open " + Secrets.ConnectionString + " for " + Secrets.Email);
            Log.PaymentFailed(logger, failure, Secrets.Card, Secrets.ApiKey, Secrets.AuthorizationHeader, Secrets.Jwt);
            Assert.True(sdk.LoggerProvider.ForceFlush());
        }

        var record = await receiver.WaitForLogRecordAsync(r => r.Scope.Name == category, Timeout, ct);
        var request = Assert.Single(receiver.Requests, r => r.Signal == OtlpSignal.Logs);

        AssertNoSecret(request);
        Assert.Equal("***", record.Attributes["api_key"]);
        Assert.Equal("***", record.Attributes["Card"]);
        Assert.Equal("Bearer ***", record.Attributes["Header"]);
        Assert.Equal("***", record.Attributes["Token"]);
        Assert.Equal("System.InvalidOperationException", record.Attributes["exception.type"]);
        Assert.Equal("cannot open " + Secrets.MaskedConnectionString + " for ***@***", record.Attributes["exception.message"]);
        Assert.Contains("cannot open " + Secrets.MaskedConnectionString, Assert.IsType<string>(record.Attributes["exception.stacktrace"]), StringComparison.Ordinal);
        Assert.Equal("Payment with card {Card} failed (key {api_key}, header {Header}, token {Token})", record.BodyText);
    }

    [Fact]
    public async Task Export_FormattedMessageIncluded_BodyMasked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var category = "Observability.Tests.Masking." + Guid.NewGuid().ToString("N");

        using (var sdk = CreateSdk(receiver, sourceName: null, includeFormattedMessage: true))
        {
            var logger = sdk.GetLoggerFactory().CreateLogger(category);
            Log.PaymentFailed(logger, null, Secrets.Card, Secrets.ApiKey, Secrets.AuthorizationHeader, Secrets.Jwt);
            Assert.True(sdk.LoggerProvider.ForceFlush());
        }

        var record = await receiver.WaitForLogRecordAsync(r => r.Scope.Name == category, Timeout, ct);

        AssertNoSecret(Assert.Single(receiver.Requests, r => r.Signal == OtlpSignal.Logs));
        Assert.Equal("Payment with card *** failed (key ***, header Bearer ***, token ***)", record.BodyText);
    }

    private static OpenTelemetrySdk CreateSdk(OtlpCaptureReceiver receiver, string? sourceName, bool includeFormattedMessage = false) =>
        OpenTelemetrySdk.Create(otel =>
        {
            otel.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());

            // The order AddServiceDefaults uses: masking first, exporters after.
            otel.Services.AddSensitiveDataMaskingProcessors();
            otel.WithTracing(tracing =>
            {
                if (sourceName is not null)
                {
                    tracing.AddSource(sourceName);
                }

                tracing.AddOtlpExporter(options => Configure(options, receiver, "traces"));
            });
            otel.WithLogging(
                logging => logging.AddOtlpExporter(options => Configure(options, receiver, "logs")),
                options => options.IncludeFormattedMessage = includeFormattedMessage);
        });

    private static void Configure(OtlpExporterOptions options, OtlpCaptureReceiver receiver, string signal)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(receiver.HttpEndpoint, "/v1/" + signal);
    }

    private static void AssertNoSecret(OtlpCapturedRequest request)
    {
        foreach (var secret in PlantedSecrets)
        {
            Assert.False(request.ContainsText(secret), $"The exported {request.Signal} carry the secret '{secret}'.");
        }

        Assert.True(request.ContainsText("***"));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Payment with card {Card} failed (key {api_key}, header {Header}, token {Token})")]
        public static partial void PaymentFailed(ILogger logger, Exception? exception, string card, string api_key, string header, string token);
    }
}
