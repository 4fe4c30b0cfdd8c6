namespace Observability.Worker.Llm;

/// <summary>
/// Completes a chat with the configured LLM provider (<c>Llm:Provider</c>). Every call is traced and measured per
/// the OpenTelemetry GenAI semantic conventions and priced from <c>Llm:Prices</c>.
/// </summary>
internal interface ILlmClient
{
    /// <summary>
    /// Sends the conversation and returns the model's reply. Failures throw an <see cref="LlmException"/> subtype:
    /// <see cref="LlmRateLimitedException"/>, <see cref="LlmServerException"/>, <see cref="LlmTimeoutException"/>,
    /// <see cref="LlmRequestRejectedException"/> or <see cref="LlmBadResponseException"/>.
    /// </summary>
    Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken);
}
