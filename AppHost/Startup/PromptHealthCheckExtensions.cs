using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.AppHost.Startup;

/// <summary>
/// Sees a resource become healthy within <see cref="PollInterval"/> of it passing its health checks, not up to five
/// seconds later.
/// </summary>
/// <remarks>
/// <para>
/// Aspire (13.6, <c>ResourceHealthCheckService</c>) checks a resource that is not healthy yet when it starts running
/// and then after 1, 2, 3, 4 and every 5 seconds; <c>WaitFor</c> releases the resources that wait for it only at the
/// first passing check, and those intervals are not configurable. So a server or service that gets ready just after a
/// check is seen up to five seconds late, and along the start order (the servers, then the services) the delays add
/// up (docs/benchmarks.md, "AppHost": the services started 1.3 s after PostgreSQL, and the last of them was seen
/// healthy 1.1–3.7 s after it answered).
/// </para>
/// <para>
/// So each health check registered in the AppHost (the resources' checks: <c>WithHttpHealthCheck</c>, Redis,
/// PostgreSQL), until it has passed once, repeats itself every <see cref="PollInterval"/> within one of Aspire's
/// checks until it passes (or reports Degraded), for at most <see cref="PollFor"/>: a resource that never gets healthy
/// is still reported unhealthy, with the check's reason, in the dashboard. From then on each check runs once, as Aspire runs it (every 30 s while healthy, with its
/// back-off while not). Run mode only: publishing runs no health checks. <c>AppHost:PromptHealthChecks=false</c> turns
/// it off.
/// </para>
/// </remarks>
internal static class PromptHealthCheckExtensions
{
    /// <summary>How often a check that has never passed is repeated.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one of Aspire's checks repeats a check that has never passed before reporting its failure.</summary>
    internal static readonly TimeSpan PollFor = TimeSpan.FromSeconds(10);

    public static IDistributedApplicationBuilder WithPromptHealthChecks(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode || !builder.Configuration.GetValue("AppHost:PromptHealthChecks", true))
        {
            return builder;
        }

        // After every Configure: each AddHealthChecks().Add(...) is one. A registration's factory makes a new check for
        // every run, so whether it has passed is kept per registration.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                var factory = registration.Factory;
                var passed = new PassedOnce();
                registration.Factory = services => new UntilFirstPassCheck(factory(services), passed, services.GetRequiredService<TimeProvider>());
            }
        });
        return builder;
    }

    private sealed class PassedOnce
    {
        public volatile bool Value;
    }

    private sealed class UntilFirstPassCheck(IHealthCheck inner, PassedOnce passed, TimeProvider timeProvider) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var started = timeProvider.GetTimestamp();
            while (true)
            {
                var result = await inner.CheckHealthAsync(context, cancellationToken).ConfigureAwait(false);
                if (result.Status == HealthStatus.Healthy)
                {
                    passed.Value = true;
                }

                // Degraded is an answer worth showing; only a failing check is repeated.
                if (passed.Value || result.Status != HealthStatus.Unhealthy || timeProvider.GetElapsedTime(started) >= PollFor)
                {
                    return result;
                }

                await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
