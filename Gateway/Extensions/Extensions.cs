using Microsoft.Extensions.Options;
using Observability.Gateway.Apis;
using Observability.Gateway.Configuration;
using Observability.Gateway.Outbox;
using Observability.Gateway.RateLimiting;
using Observability.Gateway.Tickets;
using Observability.Workflows.Persistence;
using Observability.Workflows.Tickets;

namespace Observability.Gateway.Extensions;

/// <summary>The Gateway's own wiring.</summary>
internal static class Extensions
{
    /// <summary>The connection name of Redis (<c>ConnectionStrings:cache</c>).</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>
    /// Registers the workflow database, the Redis client, the event ticket signer (<c>EventTickets:SigningKey</c>), problem details, the OpenAPI document, the per-client rate limiter, the links
    /// clients follow, and the outbox relay. Every options class is validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddWorkflowsDatabase();
        builder.AddWorkflowsRedis(RedisConnectionName);
        builder.AddEventTickets();

        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                context.ProblemDetails.Extensions["traceId"] = activity.TraceId.ToHexString();
            }
        });
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, ValidateGatewayOptions>();
        services.AddGatewayRateLimiting();
        services.AddSingleton<WorkflowLinks>();
        services.AddSingleton<EventTicketIssuer>();
        services.AddOpenApi();

        services.AddOptions<OutboxRelayOptions>().BindConfiguration(OutboxRelayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxRelayOptions>, ValidateOutboxRelayOptions>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxRelayService>();
        return builder;
    }
}
