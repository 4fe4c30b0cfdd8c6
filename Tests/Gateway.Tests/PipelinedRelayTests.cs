using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Outbox;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Gateway.Tests;

/// <summary>
/// The relay's pipelined batch (<see cref="OutboxRelay"/> with several publishes in flight), as the Gateway's relay
/// service uses it, on a database of its own without the Gateway (whose relay would race the test for the rows).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PipelinedRelayTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task RelayBatchAsync_SeveralInFlight_StartsEveryPublishBeforeAnyCompletes()
    {
        using var timeout = TestTimeout.Start(30);
        await using var database = await WorkflowsDatabase.StartAsync(postgres, timeout.Token);
        await database.CreateRunsAsync(5, timeout.Token);
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each publish completes only once all five have started: one publish at a time would never finish.
        var published = await database.RelayAsync(10, 10, async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref started) == 5)
            {
                allStarted.SetResult();
            }

            await allStarted.Task.WaitAsync(cancellationToken);
        }, timeout.Token);

        Assert.Equal(5, published);
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task RelayBatchAsync_OneOfSeveralInFlightFails_DeletesTheOthersAndCountsTheFailedAttempt()
    {
        using var timeout = TestTimeout.Start(30);
        await using var database = await WorkflowsDatabase.StartAsync(postgres, timeout.Token);
        await database.CreateRunsAsync(4, timeout.Token);
        var calls = 0;
        var refused = Guid.Empty;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.RelayAsync(10, 10, (message, _) =>
        {
            // The second message fails (asynchronously, as a lost Redis reply would); the others are published.
            if (Interlocked.Increment(ref calls) != 2)
            {
                return Task.CompletedTask;
            }

            refused = message.Id;
            return Task.FromException(new InvalidOperationException("redis went away"));
        }, timeout.Token));

        Assert.Equal("redis went away", error.Message);
        Assert.Equal(1L, await database.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
        Assert.Equal(1L, await database.ScalarAsync($"SELECT count(*) FROM outbox_messages WHERE attempts = 1 AND id = '{refused}'", timeout.Token));

        var retried = await database.RelayAsync(10, 10, (_, _) => Task.CompletedTask, timeout.Token);

        Assert.Equal(1, retried);
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task RelayBatchAsync_InFlightWindowSmallerThanTheBatch_PublishesEveryMessageOnce()
    {
        using var timeout = TestTimeout.Start(30);
        await using var database = await WorkflowsDatabase.StartAsync(postgres, timeout.Token);
        await database.CreateRunsAsync(7, timeout.Token);
        var seen = new System.Collections.Concurrent.ConcurrentBag<Guid>();

        var published = await database.RelayAsync(10, 3, async (message, _) =>
        {
            await Task.Yield();
            seen.Add(message.Id);
        }, timeout.Token);

        Assert.Equal(7, published);
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(7, seen.Count);
    }

    private sealed class WorkflowsDatabase : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly string _connectionString;

        private WorkflowsDatabase(IHost host, string connectionString)
        {
            _host = host;
            _connectionString = connectionString;
        }

        public static async Task<WorkflowsDatabase> StartAsync(PostgresServerFixture postgres, CancellationToken cancellationToken)
        {
            var connectionString = await postgres.CreateDatabaseAsync(cancellationToken);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:workflows"] = connectionString });
            builder.Services.AddLogging();
            builder.AddWorkflowsDatabase();
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            return new WorkflowsDatabase(host, connectionString);
        }

        public async Task CreateRunsAsync(int count, CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++)
            {
                await using var scope = _host.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WorkflowRunStore>().CreateAsync(new CreateRunRequest("s-relay", $"task {i}"), cancellationToken);
            }
        }

        public async Task<int> RelayAsync(
            int max, int inFlight, Func<OutboxMessage, CancellationToken, Task> publish, CancellationToken cancellationToken)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OutboxRelay>().RelayBatchAsync(max, inFlight, publish, cancellationToken);
        }

        public async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }
    }
}
