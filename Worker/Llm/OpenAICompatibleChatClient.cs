using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Observability.Worker.Llm;

/// <summary>
/// Any OpenAI-compatible Chat Completions endpoint through the OpenAI .NET client and
/// <c>Microsoft.Extensions.AI.OpenAI</c>: one <see cref="OpenAIClient"/>, one chat client per model asked
/// (<see cref="ChatOptions.ModelId"/>, else <c>Llm:Model</c>), the provider named as <c>Llm:OpenAI:ProviderName</c>.
/// The client's own retries are off: the pipeline's resilience (<c>Llm:Resilience</c>) is the only one.
/// </summary>
internal sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly OpenAIClient _client;
    private readonly ChatClientMetadata _metadata;
    private readonly ConcurrentDictionary<string, IChatClient> _models = new(StringComparer.Ordinal);

    public OpenAICompatibleChatClient(OpenAICompatibleOptions options, string defaultModel, TimeSpan networkTimeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = networkTimeout,
        };
        clientOptions.AddPolicy(new ApiKeyPolicy(options), PipelinePosition.BeforeTransport);

        // The client insists on a credential; without a key ApiKeyPolicy removes this placeholder before sending.
        _client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), clientOptions);
        _metadata = new ChatClientMetadata(options.ProviderName, options.BaseUrl, defaultModel);
    }

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_client) ? _client
            : null;
    }

    public void Dispose()
    {
        foreach (var client in _models.Values)
        {
            client.Dispose();
        }
    }

    private IChatClient For(ChatOptions? options) =>
        _models.GetOrAdd(options?.ModelId ?? _metadata.DefaultModelId!, static (model, client) => client.GetChatClient(model).AsIChatClient(), _client);
}
