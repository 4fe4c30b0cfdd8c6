using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Observability.Gateway.Apis;
using Observability.Gateway.Configuration;
using Observability.Gateway.Outbox;
using Observability.Gateway.RateLimiting;
using Observability.Gateway.Tickets;
using Observability.ServiceDefaults.RequestLimits;
using Observability.Workflows.Persistence;
using Observability.Workflows.Tickets;

namespace Observability.Gateway.Extensions;

/// <summary>The Gateway's own wiring.</summary>
internal static class Extensions
{
    /// <summary>The connection name of Redis (<c>ConnectionStrings:cache</c>).</summary>
    public const string RedisConnectionName = "cache";

    /// <summary>
    /// Registers the workflow database, the Redis client, the event ticket signer (<c>EventTickets:SigningKey</c>), problem details
    /// (also for requests the framework refuses: their own 4xx status, and heads over <c>RequestLimits</c>), the OpenAPI document, the per-client rate limiter, the links
    /// clients follow, and the outbox relay. Every options class is validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddWorkflowsDatabase();
        builder.AddWorkflowsRedis(RedisConnectionName);
        builder.AddEventTickets();
        builder.AddRequestLimits();

        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (System.Diagnostics.Activity.Current is { } activity)
            {
                context.ProblemDetails.Extensions["traceId"] = activity.TraceId.ToHexString();
            }

            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }
        });
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, ValidateGatewayOptions>();
        services.AddGatewayRateLimiting();
        services.AddSingleton<WorkflowLinks>();
        services.AddSingleton<EventTicketIssuer>();
        services.AddOpenApi(options => options.AddSchemaTransformer(static (schema, context, _) =>
        {
            // A QueryInteger has a TryParse (so the generator sees a string) but is a whole number on the wire.
            if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(QueryInteger))
            {
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int32";
            }

            return Task.CompletedTask;
        }));

        // A request the framework itself refuses (a parameter it cannot bind, a body Kestrel stops reading) is the
        // client's fault: answer its own 4xx status as problem details, never the exception handler's default 500.
        // (The framework logs those at Debug already: they are not the server's errors.) PostgreSQL out of reach for a
        // moment (down, restarting, its connection pool exhausted under overload) is 503 with Retry-After: nothing was
        // accepted, and the client may send the same request again.
        services.Configure<ExceptionHandlerOptions>(options =>
        {
            options.StatusCodeSelector = static exception => exception switch
            {
                BadHttpRequestException badRequest => badRequest.StatusCode,
                _ when IsDatabaseUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            };
            options.SuppressDiagnosticsCallback = static context => context.Exception is BadHttpRequestException;
        });

        services.AddOptions<OutboxRelayOptions>().BindConfiguration(OutboxRelayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutboxRelayOptions>, ValidateOutboxRelayOptions>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxRelayService>();
        return builder;
    }

    /// <summary>A transient PostgreSQL failure (connection refused or lost, timeout, pool exhausted) anywhere in the chain.</summary>
    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is Npgsql.NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
