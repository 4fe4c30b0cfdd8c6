namespace Observability.Worker.Llm;

/// <summary>The provider rejected the request itself (HTTP 4xx other than 429: bad request, bad key, unknown model).</summary>
internal sealed class LlmRequestRejectedException(int statusCode, string message)
    : LlmException(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), message)
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;
}
