namespace Observability.Worker.Llm;

/// <summary>A chat completion request.</summary>
internal sealed record LlmRequest
{
    /// <summary>The conversation so far, oldest first; at least one message.</summary>
    public required IReadOnlyList<LlmMessage> Messages { get; init; }

    /// <summary>The model to ask; <see langword="null"/> uses <c>Llm:Model</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Upper bound on the reply's tokens; <see langword="null"/> leaves it to the provider.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Sampling temperature; <see langword="null"/> leaves it to the provider.</summary>
    public double? Temperature { get; init; }

    /// <summary>
    /// Ask for a reply that is one JSON object (Chat Completions <c>response_format</c> <c>json_object</c>); the
    /// simulated provider answers such a request with a plan of the last user message's task.
    /// </summary>
    public bool JsonResponse { get; init; }
}
