namespace Observability.Worker.Llm;

/// <summary>Which LLM provider serves the worker's chat client (<c>Llm:Provider</c>).</summary>
internal enum LlmProviderKind
{
    /// <summary>The in-process simulator (<c>Llm:Simulated</c>): no network, deterministic per seed.</summary>
    Simulated,

    /// <summary>Any Chat Completions API (<c>Llm:OpenAI</c>): OpenAI, Azure OpenAI, Ollama, vLLM.</summary>
    OpenAICompatible,
}
