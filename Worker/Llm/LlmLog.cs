namespace Observability.Worker.Llm;

/// <summary>
/// The LLM layer's own log message. Calls are logged by <c>UseLogging</c> and <c>UseOpenTelemetry</c>
/// (Microsoft.Extensions.AI) and retries by Polly; none of them carries the API key.
/// </summary>
internal static partial class LlmLog
{
    [LoggerMessage(3, LogLevel.Information, "LLM provider {Provider} selected (Llm:Provider = {Kind}), default model {Model}.")]
    public static partial void ProviderSelected(ILogger logger, string provider, LlmProviderKind kind, string model);
}
