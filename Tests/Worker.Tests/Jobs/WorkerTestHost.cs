using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.Worker.Engine;
using Observability.Worker.Extensions;
using Observability.Worker.Llm;
using Observability.Workflows.Alerts;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;
using StackExchange.Redis;

namespace Observability.Worker.Tests.Jobs;

/// <summary>
/// A Worker wired as in Program.cs (<c>AddLlmProviders</c>, <c>AddWorkflowEngine</c>) against its own Redis server and
/// its own database, with a zero-latency simulated model. <see cref="StartAsync"/> starts the consumer.
/// </summary>
internal sealed class WorkerTestHost : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly IHost _host;
    private bool _started;

    private WorkerTestHost(RedisServer redis, IHost host, ConnectionMultiplexer connection)
    {
        _redis = redis;
        _host = host;
        Connection = connection;
    }

    /// <summary>A connection of the test's own, for producing entries and inspecting streams.</summary>
    public ConnectionMultiplexer Connection { get; }

    /// <summary>The test's own database handle on <see cref="Connection"/>.</summary>
    public IDatabase Redis => Connection.GetDatabase();

    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Creates the host. The Redis reconciler checks every 10 min unless a test sets <c>Workflows:Worker:ReconcileInterval</c>;
    /// <paramref name="redisPassword"/> gives the Redis server a password (in the connection string, as Aspire injects it).
    /// </summary>
    public static async Task<WorkerTestHost> CreateAsync(
        PostgresServerFixture postgres, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null, string? redisPassword = null)
    {
        var database = await postgres.CreateDatabaseAsync(cancellationToken);
        var redis = await RedisServer.StartAsync(redisPassword);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:workflows"] = database,
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Llm:Simulated:MedianLatency"] = "00:00:00",
            ["Llm:Simulated:P95Latency"] = "00:00:00",
            ["Llm:Resilience:BaseDelay"] = "00:00:00",
            ["Llm:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Llm:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
            ["Workflows:Worker:ConsumerName"] = "test-worker",
            ["Workflows:Worker:PollInterval"] = "00:00:00.100",
            ["Workflows:Worker:MaintenanceInterval"] = "00:00:00.100",
            ["Workflows:Worker:ShutdownTimeout"] = "00:00:05",
            ["Workflows:Worker:ReconcileInterval"] = "00:10:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.AddFakeLogging();
        builder.AddLlmProviders();
        builder.AddWorkflowEngine();
        var host = builder.Build();
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        return new WorkerTestHost(redis, host, connection);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _host.StartAsync(cancellationToken);
        _started = true;
    }

    /// <summary>The messages the Worker logged so far (captured by <c>AddFakeLogging</c>).</summary>
    public IReadOnlyList<string> LogMessages => [.. Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>().GetSnapshot().Select(r => r.Message)];

    /// <summary>The Redis server of this host (to kill and restart it).</summary>
    public RedisServer Server => _redis;

    /// <summary>Stops the host as a shutdown would (the consumer drains its in-flight jobs).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _host.StopAsync(cancellationToken);
        _started = false;
    }

    /// <summary>Runs <paramref name="action"/> with the run store from a scope of its own.</summary>
    public Task<T> WithRunStoreAsync<T>(Func<WorkflowRunStore, Task<T>> action) => InScopeAsync(action);

    /// <summary>
    /// Leaves the run as a worker that crashed mid-run would: started, planned (the deterministic plan of its task),
    /// its first step completed with the given tokens, its second step running.
    /// </summary>
    /// <summary>
    /// Creates a run with its job in the stream, read (and left pending) by another consumer, "dead-worker", that never
    /// acknowledges it; returns the run and its job's entry.
    /// </summary>
    public async Task<(Guid RunId, RedisValue EntryId)> JobReadByDeadConsumerAsync(string task, CancellationToken cancellationToken)
    {
        var runId = await CreateRunAsync(task, cancellationToken);
        await Redis.StreamCreateConsumerGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "0");
        var entryId = await EnqueueAsync(runId, cancellationToken);
        var read = await Redis.StreamReadGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "dead-worker", ">", 1);
        Assert.Equal(entryId, Assert.Single(read).Id);
        return (runId, entryId);
    }

    /// <summary>Another consumer started the run (Queued → Running, attempt 1) and died before its first event.</summary>
    public async Task CrashAfterStartAsync(Guid runId, CancellationToken cancellationToken)
    {
        var store = Services.GetRequiredService<RunExecutionStore>();
        Assert.NotNull(await store.TryStartAsync(runId, takeOver: false, cancellationToken));
    }

    public async Task<WorkflowPlan> CrashMidRunAsync(Guid runId, string task, CancellationToken cancellationToken)
    {
        var store = Services.GetRequiredService<RunExecutionStore>();
        var run = await store.TryStartAsync(runId, takeOver: false, cancellationToken);
        Assert.NotNull(run);
        var plan = AgentRouter.Route(WorkflowPlanner.Derive(task), null);
        Assert.True(await store.TryRecordPlanAsync(run, plan, 1.0, 0, 0, 0m, [plan.Steps[0].Id], cancellationToken));
        var completion = await store.CompleteStepAsync(run, plan.Steps[0].Id, 111, 222, 0.5m, [plan.Steps[1].Id], finishRun: false, cancellationToken);
        Assert.NotNull(completion);
        Assert.Equal([plan.Steps[1].Id], completion.Started);
        return plan;
    }

    /// <summary>Creates a run as the Gateway would (the job entry is the test's to add).</summary>
    public async Task<Guid> CreateRunAsync(string task, CancellationToken cancellationToken, string? traceParent = null)
    {
        await MigrateAsync(cancellationToken);
        var result = await InScopeAsync<WorkflowRunStore, CreateRunResult>(store => store.CreateAsync(new CreateRunRequest("session-1", task, TraceParent: traceParent), cancellationToken));
        return result.Run.Id;
    }

    /// <summary>Runs a SQL statement on the test's database (to break it on purpose).</summary>
    public Task<int> ExecuteSqlAsync(string sql, CancellationToken cancellationToken)
        => InScopeAsync<WorkflowsDbContext, int>(db => db.Database.ExecuteSqlRawAsync(sql, cancellationToken));

    /// <summary>XADDs a job entry for the run, with the given W3C fields.</summary>
    public async Task<RedisValue> EnqueueAsync(Guid runId, CancellationToken cancellationToken, string? traceParent = null, string? baggage = null)
    {
        var json = JsonSerializer.Serialize(new WorkflowJobMessage(runId, 1, traceParent, baggage), WorkflowsJsonContext.Default.WorkflowJobMessage);
        return await EnqueueRawAsync(json, cancellationToken, traceParent, baggage);
    }

    public async Task<RedisValue> EnqueueRawAsync(string message, CancellationToken cancellationToken, string? traceParent = null, string? baggage = null)
    {
        var fields = new List<NameValueEntry> { new(WorkflowStreams.MessageField, message) };
        if (traceParent is not null)
        {
            fields.Add(new(WorkflowStreams.TraceParentField, traceParent));
        }

        if (baggage is not null)
        {
            fields.Add(new(WorkflowStreams.BaggageField, baggage));
        }

        return await Redis.StreamAddAsync(WorkflowStreams.Jobs, fields.ToArray()).WaitAsync(cancellationToken);
    }

    public Task<WorkflowRun?> GetRunAsync(Guid runId, CancellationToken cancellationToken)
        => InScopeAsync<WorkflowsDbContext, WorkflowRun?>(db => db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken));

    public Task<IReadOnlyList<WorkflowStep>> GetStepsAsync(Guid runId, CancellationToken cancellationToken)
        => InScopeAsync<WorkflowStepStore, IReadOnlyList<WorkflowStep>>(store => store.ListAsync(runId, cancellationToken));

    public Task<IReadOnlyList<Alert>> GetAlertsAsync(CancellationToken cancellationToken)
        => InScopeAsync<AlertStore, IReadOnlyList<Alert>>(store => store.ListRecentAsync(100, cancellationToken));

    /// <summary>
    /// Polls until the run reaches <paramref name="status"/>; fails on any other final status. For Completed and Failed it
    /// also waits for the run's matching event in its stream: the engine records the outcome in PostgreSQL first and
    /// publishes the event right after, so a test reading the events as soon as the row says Completed could miss it.
    /// </summary>
    public async Task<WorkflowRun> WaitForStatusAsync(Guid runId, WorkflowRunStatus status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = await GetRunAsync(runId, cancellationToken);
            if (run?.Status == status)
            {
                WorkflowEventType? outcome = status switch
                {
                    WorkflowRunStatus.Completed => WorkflowEventType.Completed,
                    WorkflowRunStatus.Failed => WorkflowEventType.Failed,
                    _ => null,
                };
                while (outcome is { } type && !(await GetEventsAsync(runId, cancellationToken)).Any(e => e.Type == type))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                }

                return run;
            }

            if (run?.Status is WorkflowRunStatus.Completed or WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled or WorkflowRunStatus.DeadLettered)
            {
                Assert.Fail($"Run {runId} ended {run.Status} ({run.DeadLetterReason}), expected {status}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>Polls until nothing is pending in the group (every delivered entry acknowledged).</summary>
    public async Task WaitForNoPendingAsync(CancellationToken cancellationToken)
    {
        while ((await Redis.StreamPendingAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup).WaitAsync(cancellationToken)).PendingMessageCount > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>Polls until the dead-letter stream holds <paramref name="count"/> entries.</summary>
    public async Task<StreamEntry[]> WaitForDeadLettersAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entries = await Redis.StreamRangeAsync(WorkflowStreams.DeadLetters).WaitAsync(cancellationToken);
            if (entries.Length >= count)
            {
                return entries;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>The run's events in stream order.</summary>
    public async Task<IReadOnlyList<WorkflowEvent>> GetEventsAsync(Guid runId, CancellationToken cancellationToken)
    {
        var entries = await Redis.StreamRangeAsync(WorkflowStreams.Events(runId)).WaitAsync(cancellationToken);
        return entries.Select(e => JsonSerializer.Deserialize((string)e[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent)!).ToList();
    }

    /// <summary>Disposes the host without stopping it first (as a host whose start failed is), then the servers.</summary>
    public async Task DisposeWithoutStopAsync()
    {
        _started = false;
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(stop.Token);
        }

        _host.Dispose();
        await Connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>Applies the schema before the host starts, so a run can be created first.</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(
                scope.ServiceProvider.GetRequiredService<Observability.Workflows.Persistence.WorkflowsDbContext>().Database, cancellationToken);
        }
    }

    private async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
