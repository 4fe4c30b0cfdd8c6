using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Health;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Subscriptions;
using Observability.WebSocketHub.Telemetry;

namespace Observability.WebSocketHub.Extensions;

/// <summary>The hub's own wiring.</summary>
internal static class HubExtensions
{
    /// <summary>The connection name of Redis (<c>ConnectionStrings:cache</c>).</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>
    /// Registers the hub: its options (<c>WebSocketHub</c>, validated at start; they also set the WebSocket
    /// keep-alive), the one Redis subscription per instance that feeds live events (and the readiness check that
    /// it is established), the replay and re-sync from the bounded streams, the connections and their telemetry. Needs <c>AddRedisClient</c> and <c>AddEventTickets</c>.
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
