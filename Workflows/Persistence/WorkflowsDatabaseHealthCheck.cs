using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Observability.Workflows.Persistence;

/// <summary>Ready when the workflow database answers <c>SELECT 1</c>.</summary>
internal sealed class WorkflowsDatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The workflow database did not answer.", ex);
        }
    }
}
