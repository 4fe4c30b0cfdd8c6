namespace Observability.Worker.Llm;

/// <summary>The provider answered 2xx with a body that is not a usable Chat Completions response.</summary>
internal sealed class LlmBadResponseException(string message, Exception? innerException = null)
    : LlmException("invalid_response", message, innerException);
