using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class WorkflowsDatabaseHealthCheckTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task CheckHealthAsync_ReadyTag_ReportsBothIntegrationChecksHealthy()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), timeout.Token);

        Assert.Equal(HealthStatus.Healthy, report.Entries[WorkflowsDatabaseExtensions.DataSourceHealthCheckName].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries[WorkflowsDatabaseExtensions.DbContextHealthCheckName].Status);
    }

    [Fact]
    public async Task CheckHealthAsync_DatabaseGone_ReportsUnhealthy()
    {
        using var timeout = TestTimeout.Start();
        var missing = postgres.Server.ConnectionStringFor($"missing_{Guid.NewGuid():N}");
        await using var host = await WorkflowsTestHost.CreateForAsync(missing, start: false, timeout.Token);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), timeout.Token);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[WorkflowsDatabaseExtensions.DataSourceHealthCheckName].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries[WorkflowsDatabaseExtensions.DbContextHealthCheckName].Status);
    }
}
