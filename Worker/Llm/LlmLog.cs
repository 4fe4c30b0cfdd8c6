namespace Observability.Worker.Llm;

/// <summary>The LLM client's log messages. None carries the API key, the prompt or the reply.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(1, LogLevel.Debug, "LLM call to {Provider} model {Model} completed: {InputTokens} input and {OutputTokens} output tokens, finish reason {FinishReason}.")]
    public static partial void Completed(ILogger logger, string provider, string model, int inputTokens, int outputTokens, string finishReason);

    [LoggerMessage(2, LogLevel.Warning, "LLM call to {Provider} model {Model} failed with {ErrorType}.")]
    public static partial void Failed(ILogger logger, string provider, string model, string errorType, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "LLM provider {Provider} selected (Llm:Provider = {Kind}), default model {Model}.")]
    public static partial void ProviderSelected(ILogger logger, string provider, LlmProviderKind kind, string model);
}
