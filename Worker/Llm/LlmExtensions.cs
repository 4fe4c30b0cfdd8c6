using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Observability.Worker.Llm;

/// <summary>Registers <see cref="ILlmClient"/> with the provider chosen by <c>Llm:Provider</c>.</summary>
internal static class LlmExtensions
{
    /// <summary>
    /// Binds and validates <c>Llm</c> at start-up, registers the simulated and Chat Completions providers, the named
    /// HTTP client <c>Llm</c> (which gets the standard resilience handler from <c>AddServiceDefaults</c>) and the
    /// instrumented <see cref="ILlmClient"/>.
    /// </summary>
    public static TBuilder AddLlmProviders<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHttpClient(OpenAICompatibleLlmProvider.HttpClientName);
        services.TryAddSingleton<LlmTelemetry>();
        services.TryAddSingleton<SimulatedLlmProvider>();
        services.TryAddSingleton<OpenAICompatibleLlmProvider>();
        services.TryAddSingleton<ILlmProvider>(SelectProvider);
        services.TryAddSingleton<ILlmClient, InstrumentedLlmClient>();
        return builder;
    }

    private static ILlmProvider SelectProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        ILlmProvider provider = options.Provider == LlmProviderKind.OpenAICompatible
            ? services.GetRequiredService<OpenAICompatibleLlmProvider>()
            : services.GetRequiredService<SimulatedLlmProvider>();
        LlmLog.ProviderSelected(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LlmExtensions)),
            provider.Name, options.Provider, options.Model);
        return provider;
    }
}
