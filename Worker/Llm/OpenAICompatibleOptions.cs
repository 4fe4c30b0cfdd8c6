namespace Observability.Worker.Llm;

/// <summary>
/// An OpenAI-compatible Chat Completions endpoint (<c>Llm:OpenAI</c>), called through the OpenAI .NET client
/// (<c>Microsoft.Extensions.AI.OpenAI</c>). Retries and timeouts are the pipeline's (<c>Llm:Resilience</c>); the
/// client's own retries are off.
/// </summary>
internal sealed class OpenAICompatibleOptions
{
    /// <summary>The header that carries the key in Azure OpenAI style.</summary>
    public const string AzureApiKeyHeader = "api-key";

    /// <summary>
    /// Base URL of the API (<c>Llm:OpenAI:BaseUrl</c>), e.g. <c>https://api.openai.com/v1</c>,
    /// <c>http://localhost:11434/v1</c> (Ollama), <c>http://localhost:8000/v1</c> (vLLM) or
    /// <c>https://{resource}.openai.azure.com/openai/deployments/{deployment}</c>. Required with this provider; an
    /// absolute http or https URL.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// The API key (<c>Llm:OpenAI:ApiKey</c>); an Aspire parameter marked secret, user secrets or an environment
    /// variable. Default none (Ollama, vLLM: a placeholder is sent). Never logged or traced.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The header that carries <see cref="ApiKey"/> (<c>Llm:OpenAI:ApiKeyHeader</c>): <c>Authorization</c> sends
    /// <c>Bearer {key}</c> (OpenAI, vLLM); <c>api-key</c> sends the bare key (Azure OpenAI). Default
    /// <c>Authorization</c>.
    /// </summary>
    public string ApiKeyHeader { get; set; } = "Authorization";

    /// <summary>
    /// Appended as <c>?api-version=</c> when set (<c>Llm:OpenAI:ApiVersion</c>), as Azure OpenAI requires, e.g.
    /// <c>2024-10-21</c>. Default none.
    /// </summary>
    public string? ApiVersion { get; set; }

    /// <summary>
    /// The <c>gen_ai.provider.name</c> recorded for this endpoint (<c>Llm:OpenAI:ProviderName</c>): <c>openai</c>,
    /// <c>azure.ai.openai</c>, <c>ollama</c>, <c>vllm</c>... Default <c>openai</c>.
    /// </summary>
    public string ProviderName { get; set; } = "openai";
}
