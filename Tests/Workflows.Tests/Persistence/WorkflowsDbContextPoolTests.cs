using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Tests.Persistence;

/// <summary>
/// The pooled <see cref="WorkflowsDbContext"/> keeps no more contexts than the connection string's Maximum Pool Size:
/// contexts used at once beyond it are disposed when their scope ends, not retained (EF Core's own default is 1,024).
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkflowsDbContextPoolTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task ContextsUsedAtOnce_MoreThanTheConnectionPool_PoolKeepsAsManyAsConnections()
    {
        using var timeout = TestTimeout.Start();
        var database = await postgres.CreateDatabaseAsync(timeout.Token);
        var connectionString = new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 4 }.ConnectionString;
        await using var host = await WorkflowsTestHost.CreateForAsync(connectionString, start: true, timeout.Token);

        var first = await UseAtOnceAsync(host.Services, 6, timeout.Token);
        var second = await UseAtOnceAsync(host.Services, 6, timeout.Token);

        Assert.Equal(6, first.Distinct().Count());
        Assert.Equal(4, second.Count(context => first.Any(earlier => ReferenceEquals(earlier, context))));
    }

    /// <summary>Leases <paramref name="count"/> contexts in scopes of their own, each runs a query, then all are returned.</summary>
    private static async Task<List<WorkflowsDbContext>> UseAtOnceAsync(IServiceProvider services, int count, CancellationToken cancellationToken)
    {
        var scopes = Enumerable.Range(0, count).Select(_ => services.CreateAsyncScope()).ToList();
        try
        {
            var contexts = scopes.Select(scope => scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>()).ToList();
            foreach (var context in contexts)
            {
                Assert.Equal(0, await context.Runs.CountAsync(cancellationToken));
            }

            return contexts;
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }
}
