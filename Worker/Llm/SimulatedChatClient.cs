using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Observability.Worker.Llm;

/// <summary>
/// An in-process model behind <see cref="IChatClient"/>: deterministic per <c>Llm:Simulated:Seed</c> and request,
/// latency drawn from a log-normal distribution and waited on the injected <see cref="TimeProvider"/>, token counts
/// from the prompt length as OpenAI counts them, a plan of the task for a JSON request, and 503/429 failures at the
/// configured rates (<see cref="SimulatedFailureException"/>). The n-th attempt of the same request draws its own
/// failure, so retries can succeed.
/// </summary>
internal sealed class SimulatedChatClient : IChatClient
{
    /// <summary>The <c>gen_ai.provider.name</c> of the simulator.</summary>
    public const string ProviderName = "simulated";

    private const double Z95 = 1.6448536269514722;

    private static readonly string[] Words =
    [
        "the", "workflow", "step", "agent", "plan", "result", "data", "check", "next", "value", "report", "task",
        "summary", "input", "output", "review", "and", "of", "to", "with", "is", "a", "for", "then",
    ];

    private readonly SimulatedLlmOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;
    private readonly ConcurrentDictionary<ulong, int> _failedAttempts = new();

    public SimulatedChatClient(SimulatedLlmOptions options, string defaultModel, TimeProvider timeProvider)
    {
        _options = options;
        _timeProvider = timeProvider;
        _metadata = new ChatClientMetadata(ProviderName, providerUri: null, defaultModelId: defaultModel);
    }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var model = options?.ModelId ?? _metadata.DefaultModelId!;
        var fingerprint = RequestFingerprint.Compute(_options.Seed, model, conversation, options);
        var random = new Random(RequestFingerprint.ToSeed(fingerprint, 0));
        var latency = DrawLatency(random);
        var outputTokens = random.Next(_options.MinOutputTokens, _options.MaxOutputTokens + 1);
        var finishReason = ChatFinishReason.Stop;
        if (options?.MaxOutputTokens is { } maxTokens && maxTokens < outputTokens)
        {
            outputTokens = Math.Max(maxTokens, 0);
            finishReason = ChatFinishReason.Length;
        }

        var attempt = _failedAttempts.GetValueOrDefault(fingerprint);
        var draw = new Random(RequestFingerprint.ToSeed(fingerprint, attempt + 1)).NextDouble();
        if (draw < _options.RateLimitRate)
        {
            _failedAttempts[fingerprint] = attempt + 1;
            throw new SimulatedFailureException(429,
                $"Simulated provider: rate limited (Llm:Simulated:RateLimitRate = {_options.RateLimitRate}).", _options.RetryAfter);
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (draw < _options.RateLimitRate + _options.FailureRate)
        {
            _failedAttempts[fingerprint] = attempt + 1;
            throw new SimulatedFailureException(503,
                $"Simulated provider: server error (Llm:Simulated:FailureRate = {_options.FailureRate}).");
        }

        _failedAttempts.TryRemove(fingerprint, out _);
        var text = Generate(random, outputTokens);
        if (options?.ResponseFormat is ChatResponseFormatJson)
        {
            text = SimulatedPlan.Write(conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "");
            outputTokens = Math.Max(1, (text.Length + 3) / 4);
        }

        var inputTokens = CountInputTokens(conversation);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = model,
            ResponseId = $"sim-{fingerprint:x16}",
            FinishReason = finishReason,
            Usage = new UsageDetails
            {
                InputTokenCount = inputTokens,
                OutputTokenCount = outputTokens,
                TotalTokenCount = inputTokens + outputTokens,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }

    /// <summary>The latency a call with these messages and options waits (the same draw as the call's).</summary>
    internal TimeSpan LatencyOf(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        var fingerprint = RequestFingerprint.Compute(_options.Seed, options?.ModelId ?? _metadata.DefaultModelId!, messages, options);
        return DrawLatency(new Random(RequestFingerprint.ToSeed(fingerprint, 0)));
    }

    /// <summary>About four characters a token, plus a few per message for the role and framing, as OpenAI counts.</summary>
    internal static int CountInputTokens(IEnumerable<ChatMessage> messages)
    {
        var tokens = 3;
        foreach (var message in messages)
        {
            tokens += 4 + ((message.Text.Length + 3) / 4);
        }

        return tokens;
    }

    private TimeSpan DrawLatency(Random random)
    {
        // Box-Muller on two draws, taken even when the latency is zero so the rest of the sequence stays the same.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        if (_options.MedianLatency <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var sigma = Math.Log(_options.P95Latency.TotalSeconds / _options.MedianLatency.TotalSeconds) / Z95;
        var seconds = _options.MedianLatency.TotalSeconds * Math.Exp(sigma * z);
        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromMinutes(10).TotalSeconds));
    }

    /// <summary>
    /// <paramref name="tokens"/> words drawn from <see cref="Words"/>, space-separated, ending with a full stop. Written
    /// into a pooled buffer, so the reply is the only string allocated.
    /// </summary>
    private static string Generate(Random random, int tokens)
    {
        if (tokens <= 0)
        {
            return string.Empty;
        }

        var text = new DefaultInterpolatedStringHandler(tokens * 8, 0);
        for (var i = 0; i < tokens; i++)
        {
            if (i > 0)
            {
                text.AppendLiteral(" ");
            }

            text.AppendLiteral(Words[random.Next(Words.Length)]);
        }

        text.AppendLiteral(".");
        return text.ToStringAndClear();
    }
}
