using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Observability.Workflows.Persistence;

/// <summary>
/// How <c>dotnet ef</c> builds the context at design time (<c>dotnet ef migrations add Name --project Workflows</c>).
/// Generating a migration needs no server; commands that connect read <c>ConnectionStrings__workflows</c>.
/// </summary>
internal sealed class WorkflowsDbContextFactory : IDesignTimeDbContextFactory<WorkflowsDbContext>
{
    public WorkflowsDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__" + WorkflowsDatabaseExtensions.ConnectionName)
            ?? "Host=localhost;Database=workflows";
        return new WorkflowsDbContext(new DbContextOptionsBuilder<WorkflowsDbContext>().UseNpgsql(connectionString).Options);
    }
}
