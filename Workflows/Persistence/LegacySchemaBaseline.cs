using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Observability.Workflows.Persistence;

/// <summary>
/// Carries a database made by the hand-written SQL migrator of earlier releases onto EF Core migrations, keeping its
/// rows. That migrator recorded schema versions 1 and 2 in <c>schema_migrations</c>; together they are exactly the
/// model of the <c>InitialSchema</c> migration (same tables, columns, defaults, keys, constraints and indexes, with the
/// same names). So the carry-over records <c>InitialSchema</c> as applied in <c>__EFMigrationsHistory</c>, and
/// <c>MigrateAsync</c> then applies only the migrations made after it. <c>schema_migrations</c> is left in place: an
/// earlier build rolled back to still finds its history (the later migrations only add nullable columns).
/// </summary>
/// <remarks>Call it under <see cref="WorkflowsMigrationService"/>'s lock: it reads, then writes.</remarks>
internal static class LegacySchemaBaseline
{
    /// <summary>The name of the first EF Core migration, the one a legacy database already has.</summary>
    internal const string InitialMigrationName = "InitialSchema";

    /// <summary>The versions the old migrator could have recorded (the last release had both).</summary>
    private static readonly int[] LegacyVersions = [1, 2];

    /// <summary>Records the baseline when the database is a legacy one without it; true when it did.</summary>
    public static async Task<bool> ApplyAsync(WorkflowsDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var database = db.Database;
        var legacy = await database.SqlQueryRaw<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL AS \"Value\"")
            .SingleAsync(cancellationToken).ConfigureAwait(false);
        var history = db.GetService<IHistoryRepository>();
        var initial = db.GetService<IMigrationsAssembly>().Migrations.Keys
            .Single(id => id.EndsWith("_" + InitialMigrationName, StringComparison.Ordinal));
        if (!legacy || (await history.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false)).Any(row => row.MigrationId == initial))
        {
            return false;
        }

        var versions = await database.SqlQueryRaw<int>("SELECT version AS \"Value\" FROM schema_migrations ORDER BY version")
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (!versions.SequenceEqual(LegacyVersions))
        {
            throw new InvalidOperationException(
                $"The workflow database was made by the SQL migrator at schema version(s) [{string.Join(", ", versions)}]; only a database at versions [1, 2] " +
                "(the last release with that migrator) carries over to EF Core migrations: start that release once to bring it to version 2 first.");
        }

        await using var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken).ConfigureAwait(false);
        await database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion())), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
