namespace Observability.Worker.Llm;

/// <summary>A failed LLM call. <see cref="ErrorType"/> is the low-cardinality <c>error.type</c> recorded in telemetry.</summary>
internal abstract class LlmException(string errorType, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The HTTP status code (<c>429</c>, <c>503</c>) or a name (<c>timeout</c>, <c>invalid_response</c>).</summary>
    public string ErrorType { get; } = errorType;
}
