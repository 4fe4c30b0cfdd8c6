using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Observability.ServiceDefaults.Correlation;

namespace Observability.ServiceDefaults.TestApp;

/// <summary>Log entries carrying planted secrets, written with and without an activity and correlation baggage.</summary>
internal static partial class PlantedLogs
{
    public const string Category = "Observability.TestApp.Planted";
    public const string CorrelationIdValue = "corr-4711";
    public const string DbPassword = "S3cr3t-Pa55w0rd";
    public const string ConnectionString = "Host=db;Username=app;Password=" + DbPassword + ";Database=orders";
    public const string BearerToken = "mF_9.B5f-4.1JqM";
    public const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    public const string Email = "jane.doe@example.com";
    public const string Card = "4111 1111 1111 1111";
    public const string ApiKey = "ak-live-7f3a9c2e1b";

    public static void Write(ILogger logger, TextWriter ids)
    {
        Connecting(logger, ConnectionString);

        using var activity = new Activity("planted-operation").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.AddBaggage(CorrelationId.BaggageKey, CorrelationIdValue);
        ids.WriteLine($"activity {activity.TraceId.ToHexString()} {activity.SpanId.ToHexString()}");

        using (logger.BeginScope(new Dictionary<string, object?> { ["tenant"] = "t-1", ["password"] = DbPassword }))
        {
            var failure = new InvalidOperationException("Authorization 'Bearer " + BearerToken + "' rejected for " + Email);
            PaymentFailed(logger, failure, Card, ApiKey, Jwt, 42);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connecting with {Target}")]
    private static partial void Connecting(ILogger logger, string target);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Payment with card {Card} failed (api_key {api_key}, token {Jwt}, attempt {Attempt})")]
    private static partial void PaymentFailed(ILogger logger, Exception exception, string card, string api_key, string jwt, int attempt);
}
