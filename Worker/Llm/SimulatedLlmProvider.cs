using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;

namespace Observability.Worker.Llm;

/// <summary>
/// An in-process model: deterministic per <c>Llm:Simulated:Seed</c> and request, latency drawn from a log-normal
/// distribution and waited on the injected <see cref="TimeProvider"/>, token counts from the prompt length, and
/// 503/429 failures at the configured rates. The n-th attempt of the same request draws its own failure, so retries
/// can succeed.
/// </summary>
internal sealed class SimulatedLlmProvider(IOptions<LlmOptions> options, TimeProvider timeProvider) : ILlmProvider
{
    /// <summary>The <c>gen_ai.provider.name</c> of the simulator.</summary>
    public const string ProviderName = "simulated";

    private const double Z95 = 1.6448536269514722;

    private static readonly string[] Words =
    [
        "the", "workflow", "step", "agent", "plan", "result", "data", "check", "next", "value", "report", "task",
        "summary", "input", "output", "review", "and", "of", "to", "with", "is", "a", "for", "then",
    ];

    private readonly SimulatedLlmOptions _options = options.Value.Simulated;
    private readonly ConcurrentDictionary<ulong, int> _failedAttempts = new();

    public string Name => ProviderName;

    public string? ServerAddress => null;

    public int? ServerPort => null;

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, string model, CancellationToken cancellationToken)
    {
        var fingerprint = RequestFingerprint.Compute(_options.Seed, model, request);
        var random = new Random(RequestFingerprint.ToSeed(fingerprint, 0));
        var latency = DrawLatency(random);
        var outputTokens = random.Next(_options.MinOutputTokens, _options.MaxOutputTokens + 1);
        var finishReason = "stop";
        if (request.MaxTokens is { } maxTokens && maxTokens < outputTokens)
        {
            outputTokens = Math.Max(maxTokens, 0);
            finishReason = "length";
        }

        var attempt = _failedAttempts.GetValueOrDefault(fingerprint);
        var draw = new Random(RequestFingerprint.ToSeed(fingerprint, attempt + 1)).NextDouble();
        if (draw < _options.RateLimitRate)
        {
            _failedAttempts[fingerprint] = attempt + 1;
            throw new LlmRateLimitedException(
                $"Simulated provider: rate limited (Llm:Simulated:RateLimitRate = {_options.RateLimitRate}).",
                _options.RetryAfter);
        }

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        if (draw < _options.RateLimitRate + _options.FailureRate)
        {
            _failedAttempts[fingerprint] = attempt + 1;
            throw new LlmServerException(503,
                $"Simulated provider: server error (Llm:Simulated:FailureRate = {_options.FailureRate}).");
        }

        _failedAttempts.TryRemove(fingerprint, out _);
        var text = Generate(random, outputTokens);
        if (request.JsonResponse)
        {
            text = SimulatedPlan.Write(request.Messages.LastOrDefault(m => m.Role == "user")?.Content ?? "");
            outputTokens = Math.Max(1, (text.Length + 3) / 4);
        }

        return new LlmResponse
        {
            Text = text,
            FinishReason = finishReason,
            InputTokens = CountInputTokens(request),
            OutputTokens = outputTokens,
            ResponseModel = model,
            Provider = ProviderName,
            ResponseId = $"sim-{fingerprint:x16}",
        };
    }

    /// <summary>About four characters a token, plus a few per message for the role and framing, as OpenAI counts.</summary>
    internal static int CountInputTokens(LlmRequest request)
    {
        var tokens = 3;
        foreach (var message in request.Messages)
        {
            tokens += 4 + ((message.Content.Length + 3) / 4);
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

    private static string Generate(Random random, int tokens)
    {
        var text = new StringBuilder(tokens * 6);
        for (var i = 0; i < tokens; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(Words[random.Next(Words.Length)]);
        }

        if (tokens > 0)
        {
            text.Append('.');
        }

        return text.ToString();
    }
}
