namespace Observability.Worker.Llm;

/// <summary>The provider failed (HTTP 5xx), after any retries.</summary>
internal sealed class LlmServerException(int statusCode, string message)
    : LlmException(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), message)
{
    /// <summary>The HTTP status code of the last attempt.</summary>
    public int StatusCode { get; } = statusCode;
}
