using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Instrumentation.StackExchangeRedis;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The Redis every workflow service shares, through Aspire's StackExchange.Redis client integration.</summary>
public static class WorkflowsRedisExtensions
{
    /// <summary>The name of the health check Aspire's integration registers for the (unkeyed) multiplexer.</summary>
    public const string HealthCheckName = "StackExchange.Redis";

    /// <summary>
    /// The longest the Redis instrumentation waits before turning the commands it profiled into spans (its
    /// <c>FlushInterval</c>, 10 s by default): it drains every 100 ms while commands come and backs off to this when
    /// idle, so a quiet service's Redis spans reach the dashboard within a second.
    /// </summary>
    public static readonly TimeSpan RedisSpanFlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>builder.AddRedisClient(connectionName)</c> (<c>ConnectionStrings:{connectionName}</c>, settings under
    /// <c>Aspire:StackExchange:Redis</c>, health check by the integration), with choices of ours: the multiplexer does
    /// not give up when Redis is unreachable at start (it keeps reconnecting, as it does after a drop: a service starts
    /// before or without Redis and becomes ready once Redis answers), the integration's health check counts for
    /// readiness (tag <c>ready</c>, <c>/ready</c>), and the Redis client spans come from OpenTelemetry's
    /// StackExchange.Redis instrumentation package, drained every <see cref="RedisSpanFlushInterval"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Redis client spans are on unless <c>Aspire:StackExchange:Redis:DisableTracing</c> is true: each command a run
    /// sends is a client span of the run's trace, with <c>db.system</c> redis and the command name, never a key or a
    /// value. Commands sent outside any trace (the background polls and checks) are not exported (ServiceDefaults'
    /// <c>ParentlessRedisSpanFilter</c>).
    /// </para>
    /// <para>
    /// Why not the integration's own tracing: it compiles the same instrumentation in with its options internal, so its
    /// drain interval stays at 10 s. Every profiled command and the span it was sent under then live up to 10 s: at
    /// hundreds of runs per second that is a large, old heap (the worker's peak RSS fell by ~210 MiB with the package,
    /// docs/benchmarks.md) and a burst of spans every 10 s. So the integration's tracing is turned off and the package
    /// is registered here on the integration's multiplexer (taken from the services when the tracer provider is built;
    /// it does not throw when Redis is down, as it does not abort on a failed first connect).
    /// </para>
    /// </remarks>
    public static IHostApplicationBuilder AddWorkflowsRedis(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var tracing = false;
        builder.AddRedisClient(
            connectionName,
            configureSettings: settings =>
            {
                tracing = !settings.DisableTracing;
                settings.DisableTracing = true;
            },
            configureOptions: options => options.AbortOnConnectFail = false);
        if (tracing)
        {
            builder.Services.Configure<StackExchangeRedisInstrumentationOptions>(options => options.FlushInterval = RedisSpanFlushInterval);
            builder.Services.AddOpenTelemetry().WithTracing(tracer => tracer.AddRedisInstrumentation());
        }

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
