using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.Redis.Hosting;

/// <summary>Readiness: a PING round trip; its latency is in the result's data (<c>latency_ms</c>).</summary>
internal sealed class RedisHealthCheck(RedisClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await client.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(
                $"Redis at {client.Options.Host}:{client.Options.Port} answered PING.",
                new Dictionary<string, object> { ["latency_ms"] = latency.TotalMilliseconds });
        }
        catch (Exception e) when (e is RedisException or OperationCanceledException or ObjectDisposedException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis at {client.Options.Host}:{client.Options.Port} did not answer PING: {e.Message}", e);
        }
    }
}
