namespace Observability.Worker.Llm;

/// <summary>The LLM client (<c>Llm</c>), validated at start-up.</summary>
internal sealed class LlmOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Llm";

    /// <summary>
    /// Which provider answers (<c>Llm:Provider</c>): <c>Simulated</c> or <c>OpenAICompatible</c>. Default
    /// <c>Simulated</c>, so the Worker runs with no key and no network.
    /// </summary>
    public LlmProviderKind Provider { get; set; } = LlmProviderKind.Simulated;

    /// <summary>
    /// The model asked when a request names none (<c>Llm:Model</c>). Default <c>gpt-4o-mini</c>; not empty.
    /// </summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>
    /// The price table (<c>Llm:Prices:{key}:InputPerMillion</c> / <c>OutputPerMillion</c>, USD), keyed
    /// <c>{provider}/{model}</c> (e.g. <c>openai/gpt-4o</c>) or <c>{model}</c> for every provider; matched
    /// case-insensitively on the request's model, then the response's. Default empty: calls cost nothing.
    /// </summary>
    public Dictionary<string, LlmPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Retries, timeouts and circuit breaker of every call (<c>Llm:Resilience</c>).</summary>
    public LlmResilienceOptions Resilience { get; } = new();

    /// <summary>The simulated provider (<c>Llm:Simulated</c>).</summary>
    public SimulatedLlmOptions Simulated { get; } = new();

    /// <summary>The OpenAI-compatible provider (<c>Llm:OpenAI</c>).</summary>
    public OpenAICompatibleOptions OpenAI { get; } = new();

    /// <summary>
    /// The price of a call of <paramref name="provider"/> to <paramref name="requestModel"/> answered by
    /// <paramref name="responseModel"/>: <c>{provider}/{model}</c> first, then <c>{model}</c>.
    /// </summary>
    public LlmPrice? FindPrice(string provider, string requestModel, string? responseModel)
    {
        foreach (var model in (ReadOnlySpan<string?>)[requestModel, responseModel])
        {
            if (model is not null
                && (Prices.TryGetValue($"{provider}/{model}", out var price) || Prices.TryGetValue(model, out price)))
            {
                return price;
            }
        }

        return null;
    }
}
