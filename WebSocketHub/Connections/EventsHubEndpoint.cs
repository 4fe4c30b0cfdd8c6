using Microsoft.Extensions.Options;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Subscriptions;
using Observability.WebSocketHub.Telemetry;

namespace Observability.WebSocketHub.Connections;

/// <summary>Maps <c>GET /ws</c>: the origin check, the upgrade, then the connection until it closes.</summary>
internal static class EventsHubEndpoint
{
    public const string Path = "/ws";

    public static IEndpointConventionBuilder MapEventsHub(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Map(Path, HandleAsync).WithDisplayName("WebSocket events hub");
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var origin = context.Request.Headers.Origin.ToString();
        if (!services.GetRequiredService<OriginPolicy>().Allows(origin))
        {
            var logger = services.GetRequiredService<ILogger<HubConnection>>();
            HubLog.OriginRefused(logger, origin);
            await TypedResults.Problem(
                detail: $"The origin '{origin}' is not allowed to open {Path} (see WebSocketHub:AllowedOrigins).",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Origin not allowed").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(
                detail: $"{Path} speaks WebSocket only: send a GET with an Upgrade: websocket header.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "WebSocket upgrade required").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var registry = services.GetRequiredService<ConnectionRegistry>();
        using var connection = new HubConnection(
            context.TraceIdentifier,
            socket,
            services.GetRequiredService<IOptions<WebSocketHubOptions>>().Value,
            services.GetRequiredService<SubscriptionService>(),
            services.GetRequiredService<HubTelemetry>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<HubConnection>>());
        registry.Add(connection);
        try
        {
            await connection.RunAsync(services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping).ConfigureAwait(false);
        }
        finally
        {
            registry.Remove(connection);
        }
    }
}
