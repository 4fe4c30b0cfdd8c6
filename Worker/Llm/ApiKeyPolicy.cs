using System.ClientModel.Primitives;
using System.Text;

namespace Observability.Worker.Llm;

/// <summary>
/// Fits the OpenAI client's requests to endpoints that are not OpenAI's: removes the placeholder bearer token when no
/// key is configured (Ollama, vLLM), moves the key to the <c>api-key</c> header and adds <c>?api-version=</c> (Azure
/// OpenAI). Runs just before the transport, after the client's own authentication policy. On the way back it cuts
/// the key out of an error body that echoes it, so the client's exception (logged, traced) never carries it.
/// </summary>
internal sealed class ApiKeyPolicy(OpenAICompatibleOptions options) : PipelinePolicy
{
    private const string Authorization = "Authorization";

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message.Request);
        ProcessNext(message, pipeline, currentIndex);
        RedactEchoedKey(message.Response);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message.Request);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        RedactEchoedKey(message.Response);
    }

    private void RedactEchoedKey(PipelineResponse? response)
    {
        if (response is not { IsError: true } || string.IsNullOrEmpty(options.ApiKey))
        {
            return;
        }

        // Error bodies are small; the client buffers them anyway to build its exception.
        var body = response.BufferContent().ToString();
        if (body.Contains(options.ApiKey, StringComparison.Ordinal))
        {
            response.ContentStream = new MemoryStream(Encoding.UTF8.GetBytes(body.Replace(options.ApiKey, "***", StringComparison.Ordinal)));
        }
    }

    private void Apply(PipelineRequest request)
    {
        if (string.IsNullOrEmpty(options.ApiKey) || UsesApiKeyHeader(options))
        {
            request.Headers.Remove(Authorization);
        }

        if (!string.IsNullOrEmpty(options.ApiKey) && UsesApiKeyHeader(options))
        {
            request.Headers.Set(OpenAICompatibleOptions.AzureApiKeyHeader, options.ApiKey);
        }

        if (!string.IsNullOrEmpty(options.ApiVersion) && request.Uri is { } uri)
        {
            var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
            request.Uri = new Uri(uri.AbsoluteUri + separator + "api-version=" + Uri.EscapeDataString(options.ApiVersion));
        }
    }

    private static bool UsesApiKeyHeader(OpenAICompatibleOptions options) =>
        string.Equals(options.ApiKeyHeader, OpenAICompatibleOptions.AzureApiKeyHeader, StringComparison.OrdinalIgnoreCase);
}
