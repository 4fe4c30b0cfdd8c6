using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Observability.Workflows.Persistence;

/// <summary>
/// Applies pending EF Core migrations before the host starts serving (a failure stops start-up), after carrying a
/// database of the hand-written SQL migrator over (<see cref="LegacySchemaBaseline"/>).
/// </summary>
/// <remarks>
/// Instances that start together (a gateway and two workers) are serialised by a PostgreSQL advisory lock held for
/// the whole run on a connection of its own: one migrates, the others wait and then find nothing pending. EF Core's
/// own migration lock does not suffice: on Npgsql it is <c>LOCK TABLE "__EFMigrationsHistory"</c> released with each
/// migration's transaction, while the list of pending migrations is read once, under the first lock; so with two
/// pending migrations a second instance can apply the second one in between and the first instance then applies it
/// again (EF Core 10.0.15: <c>Migrator.MigrateImplementationAsync</c> and <c>MigrationCommandExecutor</c>, which
/// commits each migration; seen as <c>42701: column "baggage" of relation "workflow_runs" already exists</c> with
/// three instances on an empty database). The key is the one the SQL migrator took, so an earlier build starting
/// beside this one waits too.
/// </remarks>
internal sealed class WorkflowsMigrationService(
    IServiceScopeFactory scopes, IOptions<WorkflowsDatabaseOptions> options, ILogger<WorkflowsMigrationService> logger)
    : IHostedService
{
    /// <summary>The advisory lock key: the ASCII of "wf-schm" as a 64-bit number (the SQL migrator's key).</summary>
    internal const long AdvisoryLockKey = 0x77662D7363686D;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ApplyMigrationsAtStartup)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        if (!await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            // No database yet (or no server): MigrateAsync creates the database, or reports why it cannot.
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Resolved here, not injected: the options (connection string present) are validated before StartAsync.
        var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            // The usual start (the schema is current, or another instance just brought it there): two plain queries
            // instead of EF Core's migrator, which builds the whole model and diffs it against the snapshot (a fifth of
            // a service's start-up CPU, measured on the gateway, paid by every replica starting at once).
            if (await AllMigrationsAppliedAsync(connection, db.GetService<IMigrationsAssembly>().Migrations.Keys, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (await LegacySchemaBaseline.ApplyAsync(db, cancellationToken).ConfigureAwait(false))
            {
                WorkflowsLog.LegacySchemaCarriedOver(logger);
            }

            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Unlock even when cancelled: the connection goes back to the pool and must not keep the lock.
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> AllMigrationsAppliedAsync(NpgsqlConnection connection, IEnumerable<string> migrations, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('\"{HistoryRepository.DefaultTableName}\"') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return false;
            }
        }

        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\"", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetString(0));
        }

        return migrations.All(applied.Contains);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
