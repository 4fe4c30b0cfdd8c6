using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The Redis every workflow service shares, through Aspire's StackExchange.Redis client integration.</summary>
public static class WorkflowsRedisExtensions
{
    /// <summary>The name of the health check Aspire's integration registers for the (unkeyed) multiplexer.</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>
    /// <c>builder.AddRedisClient(connectionName)</c> (<c>ConnectionStrings:{connectionName}</c>, settings under
    /// <c>Aspire:StackExchange:Redis</c>, tracing and health check by the integration), with two choices of ours: the
    /// multiplexer does not give up when Redis is unreachable at start (it keeps reconnecting, as it does after a
    /// drop: a service starts before or without Redis and becomes ready once Redis answers), and the integration's
    /// health check counts for readiness (tag <c>ready</c>, <c>/ready</c>).
    /// </summary>
    /// <remarks>
    /// The integration's Redis client spans are on (its <c>Aspire:StackExchange:Redis:DisableTracing</c>, default false):
    /// each command a run sends is a client span of the run's trace, with <c>db.system</c> redis and the command name,
    /// never a key or a value. Commands sent outside any trace (the background polls and checks) are not exported
    /// (ServiceDefaults' <c>ParentlessRedisSpanFilter</c>).
    /// </remarks>
    public static IHostApplicationBuilder AddWorkflowsRedis(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        builder.AddRedisClient(connectionName, configureOptions: options => options.AbortOnConnectFail = false);
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                if (registration.Name == HealthCheckName)
                {
                    registration.Tags.Add("ready");
                }
            }
        });
        return builder;
    }
}
