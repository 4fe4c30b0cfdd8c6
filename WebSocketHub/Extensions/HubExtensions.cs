using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Health;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.RunStates;
using Observability.WebSocketHub.Subscriptions;
using Observability.WebSocketHub.Telemetry;
using Observability.Workflows.Persistence;

namespace Observability.WebSocketHub.Extensions;

/// <summary>The hub's own wiring.</summary>
internal static class HubExtensions
{
    /// <summary>The connection name of Redis (<c>ConnectionStrings:cache</c>).</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>The connection name of the workflow database (<c>ConnectionStrings:workflows</c>), shared with the Gateway and the Worker.</summary>
    public const string DatabaseConnectionName = WorkflowsDatabaseExtensions.ConnectionName;

    /// <summary>The PostgreSQL session setting that makes every transaction of the hub's connections read-only.</summary>
    private const string ReadOnlySessions = "-c default_transaction_read_only=on";

    /// <summary>
    /// Read-only access to the workflow database, for the run's state a <c>truncated</c> frame carries: Aspire's
    /// <c>AddNpgsqlDataSource("workflows")</c> (its <c>PostgreSql</c> health check, Npgsql tracing and metrics), whose
    /// sessions refuse writes (<c>default_transaction_read_only</c>), and the <see cref="RunStateReader"/>. The check is
    /// in <c>/health</c> but not in <c>/ready</c>: without PostgreSQL the hub still streams every event Redis holds;
    /// only a subscription that needs a run's state is answered <c>unavailable</c>. The hub applies no migrations.
    /// </summary>
    public static IHostApplicationBuilder AddRunStates(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNpgsqlDataSource(DatabaseConnectionName, configureDataSourceBuilder: dataSource =>
        {
            var connection = dataSource.ConnectionStringBuilder;
            connection.Options = string.IsNullOrWhiteSpace(connection.Options) ? ReadOnlySessions : $"{connection.Options} {ReadOnlySessions}";
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RunStateReader>();
        return builder;
    }

    /// <summary>
    /// Registers the hub: its options (<c>WebSocketHub</c>, validated at start; they also set the WebSocket
    /// keep-alive), the one Redis subscription per instance that feeds live events (and the readiness check that
    /// it is established), the replay and re-sync from the bounded streams, the connections and their telemetry. Needs <c>AddWorkflowsRedis</c>, <c>AddRunStates</c> and <c>AddEventTickets</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWebSocketHub(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WebSocketHubOptions>().BindConfiguration(WebSocketHubOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebSocketHubOptions>, ValidateWebSocketHubOptions>());
        services.AddOptions<WebSocketOptions>().Configure<IOptions<WebSocketHubOptions>>((webSockets, hub) =>
            webSockets.KeepAliveInterval = hub.Value.KeepAliveInterval);
        services.AddProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HubTelemetry>();
        services.AddSingleton<SubscriptionRouter>();
        services.AddSingleton<StreamReplayer>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<SubscriptionResync>();
        services.AddSingleton<EventsListener>();
        services.AddHostedService(static provider => provider.GetRequiredService<EventsListener>());
        services.AddHealthChecks().AddCheck<EventsListenerHealthCheck>(EventsListenerHealthCheck.Name, tags: [HealthTags.Ready]);
        return builder;
    }
}
