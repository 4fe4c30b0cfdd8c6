using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Observability.Worker.Llm;

/// <summary>
/// What a failed model call means, whichever provider failed: a short error type (the HTTP status, <c>timeout</c>,
/// <c>circuit_open</c>, <c>invalid_response</c>), whether a retry may help, and the wait the provider asked for.
/// </summary>
internal static class LlmFailure
{
    /// <summary>The key under which the resilience pipeline records a failed call's attempts in <see cref="Exception.Data"/>.</summary>
    public const string AttemptsKey = "llm.attempts";

    /// <summary>The low-cardinality error type of a failed call.</summary>
    public static string ErrorType(Exception exception) => exception switch
    {
        ClientResultException { Status: > 0 } e => e.Status.ToString(CultureInfo.InvariantCulture),
        SimulatedFailureException e => e.StatusCode.ToString(CultureInfo.InvariantCulture),
        TimeoutRejectedException => "timeout",
        BrokenCircuitException => "circuit_open",
        JsonException or FormatException or InvalidOperationException or ArgumentException => "invalid_response",
        ClientResultException or HttpRequestException or IOException => "connection",
        _ => exception.GetType().Name,
    };

    /// <summary>408, 429, 5xx, connection failures and attempt timeouts: the provider may answer a retry.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ClientResultException { Status: 0 } => true,
        ClientResultException e => e.Status is 408 or 429 or >= 500,
        SimulatedFailureException or TimeoutRejectedException or HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>The attempts a failed call made, as recorded by the resilience pipeline (1 when unknown).</summary>
    public static int Attempts(Exception exception) => exception.Data[AttemptsKey] is int attempts ? attempts : 1;

    /// <summary>
    /// The wait the provider asked for: <c>retry-after-ms</c> (OpenAI), else <c>Retry-After</c> in seconds or as an
    /// HTTP date; <see langword="null"/> when it said nothing.
    /// </summary>
    public static TimeSpan? RetryAfter(Exception exception, TimeProvider timeProvider)
    {
        if (exception is SimulatedFailureException simulated)
        {
            return simulated.RetryAfter;
        }

        if (exception is not ClientResultException result || result.GetRawResponse()?.Headers is not { } headers)
        {
            return null;
        }

        if (headers.TryGetValue("retry-after-ms", out var milliseconds)
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (!headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? TimeSpan.FromTicks(Math.Max(0, (date - timeProvider.GetUtcNow()).Ticks))
            : null;
    }
}
