using Microsoft.Extensions.AI;

namespace Observability.Worker.Llm;

/// <summary>What the worker reads from a model's reply: its token counts and its price.</summary>
internal static class LlmCost
{
    /// <summary>
    /// The key of the call's cost in USD (a <see cref="decimal"/>) in <see cref="ChatResponse.AdditionalProperties"/>,
    /// and the span attribute it is recorded as.
    /// </summary>
    public const string Key = "llm.cost.usd";

    extension(ChatResponse response)
    {
        /// <summary>Prompt tokens as the provider counted them (0 when it did not say).</summary>
        public int InputTokens => (int)(response.Usage?.InputTokenCount ?? 0);

        /// <summary>Reply tokens as the provider counted them (0 when it did not say).</summary>
        public int OutputTokens => (int)(response.Usage?.OutputTokenCount ?? 0);

        /// <summary>The call's price from <c>Llm:Prices</c>; <see langword="null"/> when the model has no price.</summary>
        public decimal? CostUsd => response.AdditionalProperties?.TryGetValue(Key, out var cost) == true ? cost as decimal? : null;
    }
}
