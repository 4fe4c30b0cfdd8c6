using System.Net;
using Polly;
using Polly.Timeout;

namespace Observability.ServiceDefaults.Resilience;

/// <summary>Which outcomes are worth retrying or counting as a failure, and which requests may be sent twice.</summary>
internal static class HttpTransientPredicates
{
    /// <summary>The header that marks an unsafe request as safe to repeat (draft-ietf-httpapi-idempotency-key-header).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>408, 429 and 5xx responses, <see cref="HttpRequestException"/> and attempt timeouts.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode statusCode) =>
        (int)statusCode >= 500 || statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Safe methods (GET, HEAD, OPTIONS, TRACE) may be repeated; POST, PUT, PATCH, DELETE and CONNECT only with an
    /// <c>Idempotency-Key</c> header, because a lost response does not prove the server did not act.
    /// </summary>
    public static bool MayRetry(HttpRequestMessage request)
    {
        var method = request.Method;
        var unsafeMethod = method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch
            || method == HttpMethod.Delete || method == HttpMethod.Connect;
        return !unsafeMethod || request.Headers.Contains(IdempotencyKeyHeader);
    }

    /// <summary>The OpenTelemetry <c>error.type</c> of an outcome: the status code, or the exception's type.</summary>
    public static string ErrorType(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().FullName
        ?? ((int?)outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture)
        ?? "_OTHER";
}
