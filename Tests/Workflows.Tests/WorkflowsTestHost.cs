using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Tests;

/// <summary>A host wired with <c>AddWorkflowsDatabase</c> against a fresh database of the test's own.</summary>
internal sealed class WorkflowsTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private WorkflowsTestHost(IHost host, string connectionString, FakeTimeProvider time)
    {
        _host = host;
        ConnectionString = connectionString;
        Time = time;
    }

    public string ConnectionString { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Builds a host on a new database; <paramref name="start"/> starts it, which applies the migrations;
    /// <paramref name="settings"/> are added to its configuration.
    /// </summary>
    public static async Task<WorkflowsTestHost> CreateAsync(
        PostgresServerFixture postgres, bool start, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync(cancellationToken);
        return await CreateForAsync(connectionString, start, cancellationToken, settings);
    }

    /// <summary>Builds a host on an existing database.</summary>
    public static async Task<WorkflowsTestHost> CreateForAsync(
        string connectionString, bool start, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var host = CreateUnstarted(connectionString, settings);
        if (start)
        {
            await host._host.StartAsync(cancellationToken);
        }

        return host;
    }

    /// <summary>Builds a host on an existing database without starting it (<see cref="StartAsync"/> applies the migrations).</summary>
    public static WorkflowsTestHost CreateUnstarted(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:workflows"] = connectionString });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.AddWorkflowsDatabase();
        return new WorkflowsTestHost(builder.Build(), connectionString, time);
    }

    /// <summary>Starts the host, which carries a legacy database over and applies pending migrations.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _host.StartAsync(cancellationToken);

    /// <summary>Runs <paramref name="action"/> with a store from a scope of its own (as one request would).</summary>
    public async Task<T> WithStoreAsync<T>(Func<WorkflowRunStore, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkflowRunStore>());
    }

    /// <summary>Runs <paramref name="action"/> with the read-side queries from a scope of its own.</summary>
    public async Task<T> WithQueriesAsync<T>(Func<WorkflowRunQueries, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkflowRunQueries>());
    }

    /// <summary>Runs <paramref name="action"/> with the step store from a scope of its own.</summary>
    public async Task<T> WithStepsAsync<T>(Func<WorkflowStepStore, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkflowStepStore>());
    }

    /// <summary>Runs <paramref name="action"/> with a DbContext from a scope of its own.</summary>
    public async Task<T> WithDbAsync<T>(Func<WorkflowsDbContext, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>());
    }

    /// <summary>Runs one SQL statement on a connection of its own and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
