namespace Observability.Worker.Llm;

/// <summary>The provider did not answer in time (attempt or total timeout of the HTTP client).</summary>
internal sealed class LlmTimeoutException(string message, Exception? innerException)
    : LlmException("timeout", message, innerException);
