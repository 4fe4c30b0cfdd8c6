using System.Text.Json.Serialization;

namespace Observability.Worker.Llm;

/// <summary>The Chat Completions request body.</summary>
internal sealed record ChatCompletionRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("response_format")] ChatResponseFormat? ResponseFormat = null);

/// <summary>The reply format asked for (<c>{"type":"json_object"}</c>).</summary>
internal sealed record ChatResponseFormat([property: JsonPropertyName("type")] string Type)
{
    public static readonly ChatResponseFormat JsonObject = new("json_object");
}

/// <summary>One message of a request or a choice.</summary>
internal sealed record ChatMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string? Content);

/// <summary>The Chat Completions response body (the fields the client reads).</summary>
internal sealed record ChatCompletionResponse(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatChoice>? Choices,
    [property: JsonPropertyName("usage")] ChatUsage? Usage);

/// <summary>One choice of a response.</summary>
internal sealed record ChatChoice(
    [property: JsonPropertyName("message")] ChatMessage? Message,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);

/// <summary>Token counts of a response.</summary>
internal sealed record ChatUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens);

/// <summary>Source-generated serialization of the Chat Completions wire format.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
internal sealed partial class ChatCompletionJsonContext : JsonSerializerContext;
