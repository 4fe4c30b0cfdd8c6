using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Observability.ServiceDefaults.Tests.Health;

/// <summary>A readiness check that runs <c>SELECT 1</c> on a real PostgreSQL, counting its runs.</summary>
internal sealed class PostgresHealthCheck : IHealthCheck
{
    private readonly NpgsqlDataSource _dataSource;
    private int _runs;

    public PostgresHealthCheck(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public int Runs => Volatile.Read(ref _runs);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _runs);
        await using var command = _dataSource.CreateCommand("SELECT 1");
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is 1 ? HealthCheckResult.Healthy("PostgreSQL answered SELECT 1.") : HealthCheckResult.Unhealthy($"PostgreSQL answered {result}.");
    }
}
