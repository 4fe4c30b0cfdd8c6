using Microsoft.Extensions.AI;
using Polly;

namespace Observability.Worker.Llm;

/// <summary>
/// Runs each call through the <c>Llm:Resilience</c> pipeline (see <see cref="LlmExtensions"/>): retries of transient
/// failures honouring <c>Retry-After</c>, timeouts and the circuit breaker. A call that still fails carries the number
/// of attempts it made (<see cref="LlmFailure.Attempts"/>). Streaming calls pass through unretried.
/// </summary>
internal sealed class ResilientChatClient(IChatClient innerClient, ResiliencePipeline pipeline) : DelegatingChatClient(innerClient)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Each attempt sends the same conversation: enumerate it once.
        var conversation = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var attempts = 0;
        try
        {
            return await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                return await base.GetResponseAsync(conversation, options, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            exception.Data[LlmFailure.AttemptsKey] = attempts;
            throw;
        }
    }
}
