using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Telemetry;

namespace Observability.Worker.Llm;

/// <summary>Registers the worker's <see cref="IChatClient"/>: the provider chosen by <c>Llm:Provider</c> in our pipeline.</summary>
internal static class LlmExtensions
{
    /// <summary>
    /// The variable (as Aspire and the OpenTelemetry GenAI conventions name it) that records prompts and replies on
    /// the spans (<c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>).
    /// </summary>
    public const string CaptureMessageContent = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>
    /// Binds and validates <c>Llm</c> at start-up and registers the <see cref="IChatClient"/>, outer to inner:
    /// logging, OpenTelemetry (GenAI spans and metrics under <see cref="LlmTelemetry.Name"/>, message content only when
    /// <see cref="CaptureMessageContent"/> is true), cost accounting, the <c>Llm:Resilience</c> pipeline, then the
    /// provider (simulated or OpenAI-compatible). Adds the source and meter to the OpenTelemetry providers.
    /// </summary>
    public static TBuilder AddLlmProviders<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<LlmTelemetry>();
        services.AddResiliencePipeline(LlmTelemetry.Name, static (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            pipeline.ConfigureTelemetry(new TelemetryOptions(services.GetRequiredService<IOptions<TelemetryOptions>>().Value)
            {
                // A reply is message content: Polly logs only its size. Each call is logged by UseLogging already: its
                // attempts and the pipeline's end are Debug, not Information (retries stay Warning).
                ResultFormatter = static (_, result) => result is ChatResponse reply ? $"reply ({reply.OutputTokens} output tokens)" : result,
                SeverityProvider = static arguments =>
                    arguments.Event is { EventName: "ExecutionAttempt" or "PipelineExecuted", Severity: ResilienceEventSeverity.Information }
                        ? ResilienceEventSeverity.Debug
                        : arguments.Event.Severity,
            });
            ConfigureResilience(pipeline, services.GetRequiredService<IOptions<LlmOptions>>().Value.Resilience,
                services.GetRequiredService<TimeProvider>());
        });

        services.AddChatClient(CreateProvider)
            .UseLogging()
            .UseOpenTelemetry(sourceName: LlmTelemetry.Name,
                configure: client => client.EnableSensitiveData = configuration.GetValue<bool>(CaptureMessageContent))
            .Use(static (inner, services) => new CostAccountingChatClient(inner,
                services.GetRequiredService<IOptions<LlmOptions>>().Value, services.GetRequiredService<LlmTelemetry>()))
            .Use(static (inner, services) => new ResilientChatClient(inner,
                services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(LlmTelemetry.Name)));

        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(LlmTelemetry.Name));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(LlmTelemetry.Name));
        return builder;
    }

    private static IChatClient CreateProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        IChatClient provider = options.Provider == LlmProviderKind.OpenAICompatible
            ? new OpenAICompatibleChatClient(options.OpenAI, options.Model, options.Resilience.TotalTimeout)
            : new SimulatedChatClient(options.Simulated, options.Model, services.GetRequiredService<TimeProvider>());
        LlmLog.ProviderSelected(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LlmExtensions)),
            provider.GetService<ChatClientMetadata>()!.ProviderName!, options.Provider, options.Model);
        return provider;
    }

    /// <summary>
    /// Outer to inner: total timeout, retry of transient failures (exponential back-off with jitter, or the
    /// provider's <c>Retry-After</c> when it gives one, capped at <c>MaxDelay</c>; each retry is an event on the call's
    /// span), circuit breaker, attempt timeout.
    /// </summary>
    private static void ConfigureResilience(ResiliencePipelineBuilder pipeline, LlmResilienceOptions options, TimeProvider timeProvider)
    {
        var transient = new PredicateBuilder().Handle<Exception>(LlmFailure.IsTransient);
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                UseJitter = options.UseJitter,
                DelayGenerator = arguments => ValueTask.FromResult(
                    arguments.Outcome.Exception is { } exception && LlmFailure.RetryAfter(exception, timeProvider) is { } retryAfter
                        ? (TimeSpan?)(retryAfter > options.MaxDelay ? options.MaxDelay : retryAfter)
                        : null),
                OnRetry = arguments =>
                {
                    Activity.Current?.AddEvent(new ActivityEvent("gen_ai.client.retry", tags: new ActivityTagsCollection
                    {
                        ["error.type"] = arguments.Outcome.Exception is { } exception ? LlmFailure.ErrorType(exception) : null,
                        ["retry.attempt"] = arguments.AttemptNumber + 1,
                        ["retry.delay_seconds"] = arguments.RetryDelay.TotalSeconds,
                    }));
                    return default;
                },
            });
        }

        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }
}
