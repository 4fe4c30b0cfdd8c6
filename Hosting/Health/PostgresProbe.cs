using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Observability.Hosting.Health;

/// <summary><c>SELECT 1</c> over a fresh, unpooled connection (a pooled one would keep the server from stopping).</summary>
internal sealed class PostgresProbe(string connectionString, string description) : IHealthProbe
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 }.ConnectionString;

    public string Description => description;

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{Description} failed: {e.Message}");
        }
    }
}
