using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Observability.Worker.Engine;
using Observability.Worker.Events;
using Observability.Worker.Jobs;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Worker.Extensions;

/// <summary>The Worker's own wiring: the workflow database, Redis, the engine, the job consumer and the monitor.</summary>
internal static class WorkerExtensions
{
    /// <summary>
    /// Registers the workflow database (<c>ConnectionStrings:workflows</c>), the Redis client (<c>ConnectionStrings:cache</c>),
    /// the engine, the event publisher, the performance monitor (<c>Workflows:Thresholds</c>), the job consumer (with its
    /// own Redis connection for blocking reads and that connection's readiness check), the
    /// stuck-run sweeper and the Redis reconciler (<c>Workflows:Worker</c>). Call after <c>AddLlmProviders</c>. Options are validated at start.
    /// </summary>
    public static TBuilder AddWorkflowEngine<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddWorkflowsDatabase();
        builder.AddWorkflowsRedis("cache");

        var services = builder.Services;
        services.AddOptions<JobConsumerOptions>().BindConfiguration(JobConsumerOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobConsumerOptions>, JobConsumerOptionsValidator>());
        services.AddOptions<PerformanceThresholdsOptions>().BindConfiguration(PerformanceThresholdsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PerformanceThresholdsOptions>, PerformanceThresholdsOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<WorkerTelemetry>();
        services.TryAddSingleton<WorkflowEventLog>();
        services.TryAddSingleton<WorkflowEventPublisher>();
        services.TryAddSingleton<PerformanceMonitor>();
        services.TryAddSingleton<WorkflowPlanner>();
        services.TryAddSingleton<RunExecutionStore>();
        services.TryAddSingleton<StepExecutor>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton<RunRequeuer>();
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<RedisLossSignal>();
        services.TryAddSingleton<JobReadConnection>();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            JobReadConnection.HealthCheckName, sp => sp.GetRequiredService<JobReadConnection>(), HealthStatus.Unhealthy, ["ready"]));
        services.AddHostedService<JobConsumer>();
        services.AddHostedService<StuckRunSweeper>();
        services.AddHostedService<RedisReconciler>();
        return builder;
    }
}
