using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The Redis every workflow service shares, through Aspire's StackExchange.Redis client integration.</summary>
public static class WorkflowsRedisExtensions
{
    /// <summary>The name of the health check Aspire's integration registers for the (unkeyed) multiplexer.</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>Turns the integration's Redis client spans on (see the remarks of <see cref="AddWorkflowsRedis"/>).</summary>
    public const string EnableTracingKey = "Aspire:StackExchange:Redis:EnableTracing";

    /// <summary>
    /// <c>builder.AddRedisClient(connectionName)</c> (<c>ConnectionStrings:{connectionName}</c>, settings under
    /// <c>Aspire:StackExchange:Redis</c>, tracing and health check by the integration), with two choices of ours: the
    /// multiplexer does not give up when Redis is unreachable at start (it keeps reconnecting, as it does after a
    /// drop: a service starts before or without Redis and becomes ready once Redis answers), and the integration's
    /// health check counts for readiness (tag <c>ready</c>, <c>/ready</c>).
    /// </summary>
    /// <remarks>
    /// The integration's Redis client spans are off unless <c>Aspire:StackExchange:Redis:EnableTracing</c> is true. They
    /// were turned off when they made the tracer provider's disposal throw (<c>Collection was modified</c> in
    /// <c>TracerProviderSdk.Dispose</c>); that no longer reproduces with Aspire 13.6.5 (docs/benchmarks.md), and they stay
    /// off because turned on they add a span per Redis command (~25 per run) and root spans for the workers' background
    /// polls, neither measured yet. Our own messaging spans (publish, process, deliver) carry the run's trace across
    /// every Redis hop either way.
    /// </remarks>
    public static IHostApplicationBuilder AddWorkflowsRedis(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        builder.AddRedisClient(
            connectionName,
            settings => settings.DisableTracing = !builder.Configuration.GetValue(EnableTracingKey, false),
            options => options.AbortOnConnectFail = false);
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
