using System.Globalization;

namespace Observability.Dashboard.Otlp;

/// <summary>An OTLP/HTTP answer: status, body in the request's encoding, and Retry-After when the sender should retry.</summary>
internal sealed class OtlpHttpResult(int statusCode, OtlpFormat format, byte[] body, TimeSpan? retryAfter = null) : IResult
{
    public int StatusCode { get; } = statusCode;

    public static OtlpHttpResult Error(int statusCode, OtlpFormat format, int grpcCode, string message, TimeSpan? retryAfter = null) =>
        new(statusCode, format, OtlpResponses.Status(format, grpcCode, message), retryAfter);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = format == OtlpFormat.Json ? OtlpResponses.JsonContentType : OtlpResponses.ProtobufContentType;
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
