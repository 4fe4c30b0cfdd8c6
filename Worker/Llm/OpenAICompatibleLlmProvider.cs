using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Observability.Worker.Llm;

/// <summary>
/// Calls <c>POST {BaseUrl}/chat/completions</c> through the named <see cref="HttpClient"/> <see cref="HttpClientName"/>,
/// so the standard resilience handler retries 429 and 5xx (honouring <c>Retry-After</c>): every call carries its own
/// <c>Idempotency-Key</c>, which makes the POST retryable and lets the server drop duplicates.
/// </summary>
internal sealed class OpenAICompatibleLlmProvider(IHttpClientFactory httpClientFactory, IOptions<LlmOptions> options,
    TimeProvider timeProvider)
    : ILlmProvider
{
    /// <summary>The name of the HTTP client; its resilience settings are <c>HttpClient:Resilience:Llm</c>.</summary>
    public const string HttpClientName = "Llm";

    private const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly OpenAICompatibleOptions _options = options.Value.OpenAI;

    public string Name => _options.ProviderName;

    public string? ServerAddress => _options.BaseUrl?.Host;

    public int? ServerPort => _options.BaseUrl?.Port;

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, string model, CancellationToken cancellationToken)
    {
        var body = new ChatCompletionRequest(model,
            [.. request.Messages.Select(message => new ChatMessage(message.Role, message.Content))],
            request.MaxTokens, request.Temperature, request.JsonResponse ? ChatResponseFormat.JsonObject : null);
        using var message = new HttpRequestMessage(HttpMethod.Post, CompletionsUri())
        {
            Content = JsonContent.Create(body, ChatCompletionJsonContext.Default.ChatCompletionRequest),
        };
        message.Headers.Add(IdempotencyKeyHeader, Guid.NewGuid().ToString("N"));
        AddApiKey(message);

        var client = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new LlmTimeoutException($"{Name} did not answer in time: {exception.Message}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LlmTimeoutException($"{Name} did not answer within the HTTP client's timeout.", exception);
        }

        using (response)
        {
            await ThrowOnErrorAsync(response, cancellationToken).ConfigureAwait(false);
            return await ReadAsync(response, model, cancellationToken).ConfigureAwait(false);
        }
    }

    private Uri CompletionsUri()
    {
        var baseUrl = _options.BaseUrl!.AbsoluteUri.TrimEnd('/');
        var query = string.IsNullOrEmpty(_options.ApiVersion) ? "" : "?api-version=" + Uri.EscapeDataString(_options.ApiVersion);
        return new Uri(baseUrl + "/chat/completions" + query);
    }

    private void AddApiKey(HttpRequestMessage message)
    {
        if (string.IsNullOrEmpty(_options.ApiKey))
        {
            return;
        }

        if (string.Equals(_options.ApiKeyHeader, OpenAICompatibleOptions.AzureApiKeyHeader, StringComparison.OrdinalIgnoreCase))
        {
            message.Headers.Add(OpenAICompatibleOptions.AzureApiKeyHeader, _options.ApiKey);
        }
        else
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }
    }

    private async Task ThrowOnErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var detail = await ReadErrorDetailAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var header = response.Headers.RetryAfter;
            var retryAfter = header?.Delta ?? (header?.Date is { } date ? date - timeProvider.GetUtcNow() : null);
            throw new LlmRateLimitedException($"{Name} rate limited the call (HTTP 429){detail}.", retryAfter);
        }

        if (status >= 500)
        {
            throw new LlmServerException(status, $"{Name} failed (HTTP {status}){detail}.");
        }

        throw new LlmRequestRejectedException(status, $"{Name} rejected the request (HTTP {status}){detail}.");
    }

    /// <summary>
    /// The first 200 characters of an error body (providers explain the error there), with the API key cut out in
    /// case the server echoes it.
    /// </summary>
    private async Task<string> ReadErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            text = text.Replace(_options.ApiKey, "***", StringComparison.Ordinal);
        }

        text = text.Trim();
        return text.Length == 0 ? "" : ": " + (text.Length > 200 ? text[..200] + "..." : text);
    }

    private async Task<LlmResponse> ReadAsync(HttpResponseMessage response, string model, CancellationToken cancellationToken)
    {
        ChatCompletionResponse? completion;
        try
        {
            completion = await response.Content
                .ReadFromJsonAsync(ChatCompletionJsonContext.Default.ChatCompletionResponse, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            throw new LlmBadResponseException($"{Name} answered with malformed JSON: {exception.Message}", exception);
        }
        catch (NotSupportedException exception)
        {
            throw new LlmBadResponseException(
                $"{Name} answered with content type '{response.Content.Headers.ContentType}', not JSON.", exception);
        }

        if (completion?.Choices is not [{ Message.Content: { } text } choice, ..])
        {
            throw new LlmBadResponseException($"{Name} answered without choices[0].message.content.");
        }

        if (completion.Usage is not { } usage)
        {
            throw new LlmBadResponseException($"{Name} answered without usage (prompt_tokens, completion_tokens).");
        }

        return new LlmResponse
        {
            Text = text,
            FinishReason = choice.FinishReason ?? "unknown",
            InputTokens = usage.PromptTokens,
            OutputTokens = usage.CompletionTokens,
            ResponseModel = string.IsNullOrEmpty(completion.Model) ? model : completion.Model,
            Provider = Name,
            ResponseId = completion.Id,
        };
    }
}
