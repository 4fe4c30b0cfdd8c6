namespace Observability.Worker.Llm;

/// <summary>The model's reply to an <see cref="LlmRequest"/>.</summary>
internal sealed record LlmResponse
{
    /// <summary>The reply text.</summary>
    public required string Text { get; init; }

    /// <summary>Why generation stopped as the provider reports it (<c>stop</c>, <c>length</c>, ...).</summary>
    public required string FinishReason { get; init; }

    /// <summary>Tokens of the prompt, as counted by the provider.</summary>
    public required int InputTokens { get; init; }

    /// <summary>Tokens of the reply, as counted by the provider.</summary>
    public required int OutputTokens { get; init; }

    /// <summary>The model that answered, as the provider names it (may carry a version suffix).</summary>
    public required string ResponseModel { get; init; }

    /// <summary>The provider, as <c>gen_ai.provider.name</c> (<c>openai</c>, <c>simulated</c>, ...).</summary>
    public required string Provider { get; init; }

    /// <summary>The provider's id of this completion, when it gives one.</summary>
    public string? ResponseId { get; init; }

    /// <summary>
    /// Price of the call in USD from <c>Llm:Prices</c>; <see langword="null"/> when the model has no price.
    /// </summary>
    public decimal? CostUsd { get; init; }
}
