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
    /// Records prompt and reply text on the span as <c>gen_ai.input.messages</c> and <c>gen_ai.output.messages</c>
    /// (<c>Llm:RecordContent</c>); the masking processor still masks what looks sensitive. Default
    /// <see langword="false"/>: content is not recorded.
    /// </summary>
    public bool RecordContent { get; set; }

    /// <summary>
    /// Price per model name (<c>Llm:Prices:{model}:InputPerMillion</c> / <c>OutputPerMillion</c>, USD), matched
    /// case-insensitively against the request's model, then the response's. Default empty: calls have no cost.
    /// </summary>
    public Dictionary<string, LlmPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The simulated provider (<c>Llm:Simulated</c>).</summary>
    public SimulatedLlmOptions Simulated { get; } = new();

    /// <summary>The Chat Completions provider (<c>Llm:OpenAI</c>).</summary>
    public OpenAICompatibleOptions OpenAI { get; } = new();

    /// <summary>The price of a call to <paramref name="requestModel"/> answered by <paramref name="responseModel"/>.</summary>
    public LlmPrice? FindPrice(string requestModel, string responseModel) =>
        Prices.TryGetValue(requestModel, out var price) || Prices.TryGetValue(responseModel, out price) ? price : null;
}
