using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Tests.Telemetry;
using Observability.TestInfrastructure.Otlp;

namespace Observability.ServiceDefaults.Tests.Masking;

/// <summary>
/// A real service wired by AddServiceDefaults exports no planted secret over OTLP: masking runs ahead of the
/// exporters that the telemetry defaults add.
/// </summary>
[Collection(TelemetryHosts.Name)]
[Trait("Category", "Integration")]
public sealed partial class ServiceDefaultsMaskingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static readonly string[] PlantedSecrets =
        [Secrets.DbPassword, Secrets.BearerToken, Secrets.Jwt, Secrets.Email, Secrets.Card, Secrets.ApiKey];

    [Fact]
    public async Task AddServiceDefaults_SecretsInSpansLogsAndScopes_ExportedMasked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpCaptureReceiver.StartAsync(ct);
        var settings = TelemetryTestApp.FastExport(receiver, OtlpTransport.HttpProtobuf);

        await using (var app = await TelemetryTestApp.StartAsync(settings, MapPayments, ct))
        {
            using var response = await app.Client.GetAsync("/payments", ct);
            response.EnsureSuccessStatusCode();

            var span = await receiver.WaitForSpanAsync(s => s.Name == "GET /payments", Timeout, ct);
            var log = await receiver.WaitForLogRecordAsync(r => r.Attributes.ContainsKey("exception.message"), Timeout, ct);

            Assert.Equal("***", span.Attributes["api_key"]);
            Assert.Equal("card ***", span.Attributes["payment.note"]);
            Assert.Equal("Payment by ***@*** failed with Bearer *** (key ***)", log.BodyText);
            Assert.Equal("***", log.Attributes["ApiKey"]);
            Assert.Equal("cannot open " + Secrets.MaskedConnectionString, log.Attributes["exception.message"]);
            Assert.Equal("t-1", log.Attributes["tenant"]);
            Assert.Equal("***", log.Attributes["password"]);
            Assert.Equal("***@***", log.Attributes["contact"]);
        }

        var exported = receiver.Requests.Where(r => r.Signal is OtlpSignal.Traces or OtlpSignal.Logs).ToList();
        Assert.Contains(exported, r => r.Signal == OtlpSignal.Traces);
        Assert.Contains(exported, r => r.Signal == OtlpSignal.Logs);
        foreach (var request in exported)
        {
            foreach (var secret in PlantedSecrets)
            {
                Assert.False(request.ContainsText(secret), $"The exported {request.Signal} carry the secret '{secret}'.");
            }
        }
    }

    private static void MapPayments(WebApplication app) =>
        app.MapGet("/payments", (ILogger<ServiceDefaultsMaskingTests> logger) =>
        {
            Activity.Current?.SetTag("api_key", Secrets.ApiKey);
            Activity.Current?.SetTag("payment.note", "card " + Secrets.Card);
            using (logger.BeginScope(new Dictionary<string, object?> { ["tenant"] = "t-1", ["password"] = Secrets.DbPassword, ["contact"] = Secrets.Email }))
            {
                Log.PaymentFailed(logger, new InvalidOperationException("cannot open " + Secrets.ConnectionString), Secrets.Email, Secrets.AuthorizationHeader, Secrets.ApiKey);
            }

            return TypedResults.Ok();
        });

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Payment by {Customer} failed with {Header} (key {ApiKey})")]
        public static partial void PaymentFailed(ILogger logger, Exception exception, string customer, string header, string apiKey);
    }
}
