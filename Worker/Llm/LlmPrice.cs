namespace Observability.Worker.Llm;

/// <summary>The price of one model (<c>Llm:Prices:{model}</c>), in USD per million tokens.</summary>
internal sealed class LlmPrice
{
    /// <summary>USD per million prompt tokens (<c>Llm:Prices:{model}:InputPerMillion</c>). Default 0; at least 0.</summary>
    public decimal InputPerMillion { get; set; }

    /// <summary>USD per million reply tokens (<c>Llm:Prices:{model}:OutputPerMillion</c>). Default 0; at least 0.</summary>
    public decimal OutputPerMillion { get; set; }

    /// <summary>The cost of one call.</summary>
    public decimal Cost(int inputTokens, int outputTokens) =>
        ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000m;
}
