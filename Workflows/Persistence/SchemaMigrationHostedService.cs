using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Workflows.Migrations;

namespace Observability.Workflows.Persistence;

/// <summary>Applies pending schema migrations before the host starts serving (a failure stops start-up).</summary>
internal sealed class SchemaMigrationHostedService(SchemaMigrator migrator, IOptions<WorkflowsDatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ApplyMigrationsAtStartup)
        {
            await migrator.MigrateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
