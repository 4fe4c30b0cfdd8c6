using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

public sealed class LlmOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new LlmOptionsValidator().Validate(null, new LlmOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_OpenAICompatibleWithoutBaseUrl_NamesTheKey()
    {
        var options = new LlmOptions { Provider = LlmProviderKind.OpenAICompatible };

        var result = new LlmOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.Contains("Llm:OpenAI:BaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadSimulatorSettings_NameEachKey()
    {
        var options = new LlmOptions();
        options.Simulated.MedianLatency = TimeSpan.FromSeconds(2);
        options.Simulated.P95Latency = TimeSpan.FromSeconds(1);
        options.Simulated.MinOutputTokens = 0;
        options.Simulated.FailureRate = 0.7;
        options.Simulated.RateLimitRate = 0.5;
        options.Prices["gpt-4o"] = new LlmPrice { InputPerMillion = -1 };
        options.Resilience.AttemptTimeout = TimeSpan.FromMinutes(10);
        options.Resilience.TotalTimeout = TimeSpan.FromMinutes(1);

        var failures = new LlmOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, failure => failure.StartsWith("Llm:Simulated:P95Latency", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Llm:Simulated:MinOutputTokens", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Llm:Simulated:FailureRate plus", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Llm:Prices:gpt-4o:", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Llm:Resilience:TotalTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddLlmProviders_InvalidConfiguration_FailsAtStartNamingTheKey()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "OpenAICompatible",
            ["Llm:OpenAI:ApiKeyHeader"] = "X-Key",
        };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => LlmTestHost.StartAsync(settings, TestContext.Current.CancellationToken));

        Assert.Contains("Llm:OpenAI:BaseUrl", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Llm:OpenAI:ApiKeyHeader", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddLlmProviders_PricesFromConfiguration_BindCaseInsensitively()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Llm:Prices:GPT-4o:InputPerMillion"] = "2.5",
            ["Llm:Prices:GPT-4o:OutputPerMillion"] = "10",
        };
        await using var host = await LlmTestHost.StartAsync(settings, TestContext.Current.CancellationToken);

        var options = host.Services.GetRequiredService<IOptions<LlmOptions>>().Value;

        var price = options.FindPrice("openai", "gpt-4o", "gpt-4o-2024-08-06");
        Assert.NotNull(price);
        Assert.Equal(12.5m, price.Cost(1_000_000, 1_000_000));
        Assert.Null(options.FindPrice("openai", "gpt-4o-mini", null));
    }
}
