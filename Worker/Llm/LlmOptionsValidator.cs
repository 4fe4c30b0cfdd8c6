using Microsoft.Extensions.Options;

namespace Observability.Worker.Llm;

/// <summary>Checks <see cref="LlmOptions"/> at start-up; every message names the configuration key to fix.</summary>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    private static readonly TimeSpan MaxLatency = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add("Llm:Provider must be Simulated or OpenAICompatible.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add("Llm:Model must name the default model.");
        }

        foreach (var (model, price) in options.Prices)
        {
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                failures.Add($"Llm:Prices:{model}:InputPerMillion and OutputPerMillion must be at least 0.");
            }
        }

        ValidateResilience(options.Resilience, failures);
        ValidateSimulated(options.Simulated, failures);
        if (options.Provider == LlmProviderKind.OpenAICompatible)
        {
            ValidateOpenAI(options.OpenAI, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateResilience(LlmResilienceOptions resilience, List<string> failures)
    {
        if (resilience.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Llm:Resilience:MaxRetryAttempts must be between 0 and 10.");
        }

        if (resilience.BaseDelay < TimeSpan.Zero || resilience.BaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add("Llm:Resilience:BaseDelay must be between 0 and 1 minute.");
        }

        if (resilience.MaxDelay < resilience.BaseDelay || resilience.MaxDelay > TimeSpan.FromHours(1))
        {
            failures.Add("Llm:Resilience:MaxDelay must be at least Llm:Resilience:BaseDelay and at most 1 hour.");
        }

        if (resilience.AttemptTimeout < TimeSpan.FromMilliseconds(10) || resilience.AttemptTimeout > TimeSpan.FromHours(1))
        {
            failures.Add("Llm:Resilience:AttemptTimeout must be between 10 ms and 1 hour.");
        }

        if (resilience.TotalTimeout < resilience.AttemptTimeout || resilience.TotalTimeout > TimeSpan.FromHours(1))
        {
            failures.Add("Llm:Resilience:TotalTimeout must be at least Llm:Resilience:AttemptTimeout and at most 1 hour.");
        }

        if (resilience.BreakerFailureRatio is <= 0 or > 1)
        {
            failures.Add("Llm:Resilience:BreakerFailureRatio must be above 0 and at most 1.");
        }

        if (resilience.BreakerMinimumThroughput < 2)
        {
            failures.Add("Llm:Resilience:BreakerMinimumThroughput must be at least 2.");
        }

        if (resilience.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("Llm:Resilience:BreakerSamplingDuration must be at least 500 ms.");
        }

        if (resilience.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("Llm:Resilience:BreakDuration must be at least 500 ms.");
        }
    }

    private static void ValidateSimulated(SimulatedLlmOptions simulated, List<string> failures)
    {
        if (simulated.MedianLatency < TimeSpan.Zero || simulated.MedianLatency > MaxLatency)
        {
            failures.Add("Llm:Simulated:MedianLatency must be between 0 and 10 minutes.");
        }

        if (simulated.P95Latency < simulated.MedianLatency || simulated.P95Latency > MaxLatency)
        {
            failures.Add("Llm:Simulated:P95Latency must be at least Llm:Simulated:MedianLatency and at most 10 minutes.");
        }

        if (simulated.MinOutputTokens < 1)
        {
            failures.Add("Llm:Simulated:MinOutputTokens must be at least 1.");
        }

        if (simulated.MaxOutputTokens < simulated.MinOutputTokens || simulated.MaxOutputTokens > 100_000)
        {
            failures.Add("Llm:Simulated:MaxOutputTokens must be at least Llm:Simulated:MinOutputTokens and at most 100000.");
        }

        if (!IsRate(simulated.FailureRate))
        {
            failures.Add("Llm:Simulated:FailureRate must be between 0 and 1.");
        }

        if (!IsRate(simulated.RateLimitRate))
        {
            failures.Add("Llm:Simulated:RateLimitRate must be between 0 and 1.");
        }
        else if (IsRate(simulated.FailureRate) && simulated.FailureRate + simulated.RateLimitRate > 1)
        {
            failures.Add("Llm:Simulated:FailureRate plus Llm:Simulated:RateLimitRate must be at most 1.");
        }

        if (simulated.RetryAfter < TimeSpan.Zero || simulated.RetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add("Llm:Simulated:RetryAfter must be between 0 and 1 hour.");
        }
    }

    private static void ValidateOpenAI(OpenAICompatibleOptions openAI, List<string> failures)
    {
        if (openAI.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("Llm:OpenAI:BaseUrl must be an absolute http or https URL when Llm:Provider is OpenAICompatible.");
        }

        if (!string.Equals(openAI.ApiKeyHeader, "Authorization", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(openAI.ApiKeyHeader, OpenAICompatibleOptions.AzureApiKeyHeader, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Llm:OpenAI:ApiKeyHeader must be Authorization or api-key.");
        }

        if (string.IsNullOrWhiteSpace(openAI.ProviderName))
        {
            failures.Add("Llm:OpenAI:ProviderName must not be empty.");
        }
    }

    private static bool IsRate(double rate) => rate is >= 0 and <= 1;
}
