using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

/// <summary>
/// The worker's hot statements of many runs go out together (<see cref="StatementBatcher"/>): one batch, one
/// transaction, each caller with its own result. Each test holds the batcher on purpose: a run's row is locked by a
/// transaction of the test's own and a start of that run is sent, so the batch in flight waits; the statements handed
/// in meanwhile queue, and once the lock is released they all go in the next batch.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunExecutionBatchTests(PostgresServerFixture postgres)
{
    private const string CompleteStepSummary = "UPDATE workflow_steps UPDATE workflow_runs";

    private static readonly WorkflowPlan Chain = new(
    [
        new PlannedStep("research", "Find three sources", [], "researcher", "Needs web search"),
        new PlannedStep("write", "Write the summary", ["research"], "writer", "Best at prose"),
    ]);

    private static readonly WorkflowPlan TwoRoots = new(
    [
        new PlannedStep("left", "One half", [], "researcher", "Needs web search"),
        new PlannedStep("right", "The other half", [], "writer", "Best at prose"),
    ]);

    [Fact]
    public async Task CompleteStepAsync_ManyRunsInOneBatch_EachAppliedWithItsOwnResult()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var spans = new SpanCapture();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct);
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var runs = await PlannedRunsAsync(host, store, 6, ct);

        await using var hold = await HoldAsync(host, store, ct);
        using var caller = SpanCapture.TestSource.StartActivity("caller");
        // Even runs complete their first step (starting the second); odd runs complete it as if it were their last.
        var calls = runs.Select((run, i) => store.CompleteStepAsync(
            run, "research", 100 + i, 200 + i, 0.5m, i % 2 == 0 ? ["write"] : [], finishRun: i % 2 == 1, ct)).ToArray();
        await hold.ReleaseAsync(ct);
        var results = await Task.WhenAll(calls);

        for (var i = 0; i < runs.Count; i++)
        {
            var result = results[i];
            Assert.NotNull(result);
            if (i % 2 == 0)
            {
                Assert.Equal(["write"], result.Started);
                Assert.Null(result.Finish);
                Assert.Equal("Running", await host.ScalarAsync($"SELECT status FROM workflow_steps WHERE run_id = '{runs[i].RunId}' AND step_key = 'write'", ct));
            }
            else
            {
                Assert.Empty(result.Started);
                // The plan's 10 / 20 / 0.1 plus this step's figures: each run's totals, not a neighbour's.
                Assert.Equal((WorkflowRunStatus.Completed, 110L + i, 220L + i, 0.6m), (result.Finish?.Status, result.Finish?.InputTokens, result.Finish?.OutputTokens, result.Finish?.Cost));
            }

            Assert.Equal(100L + i, await host.ScalarAsync($"SELECT input_tokens FROM workflow_steps WHERE run_id = '{runs[i].RunId}' AND step_key = 'research' AND status = 'Completed'", ct));
        }

        var statements = spans.Statements(caller!.TraceId).Where(s => s.DisplayName == CompleteStepSummary).ToArray();
        Assert.Equal(6, statements.Length);
        Assert.All(statements, s => Assert.Equal(6, s.GetTagItem("db.operation.batch.size")));
    }

    [Fact]
    public async Task CompleteStepAsync_OlderAttemptInABatchWithOthers_IsRefusedAndTheOthersApplied()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var spans = new SpanCapture();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct);
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var taken = await PlannedRunAsync(host, store, Chain, ["research"], ct);
        var other = await PlannedRunAsync(host, store, Chain, ["research"], ct);
        // Its job was redelivered: a newer attempt took the run over while the first executor still works on it.
        var takeover = await store.TryStartAsync(taken.RunId, takeOver: true, ct);
        Assert.Equal(taken.Attempt + 1, takeover?.Attempt);

        await using var hold = await HoldAsync(host, store, ct);
        using var caller = SpanCapture.TestSource.StartActivity("caller");
        var stale = store.CompleteStepAsync(taken, "research", 1, 1, 0.01m, ["write"], finishRun: false, ct);
        var neighbour = store.CompleteStepAsync(other, "research", 2, 2, 0.02m, ["write"], finishRun: false, ct);
        var current = store.CompleteStepAsync(takeover!, "research", 3, 3, 0.03m, ["write"], finishRun: false, ct);
        await hold.ReleaseAsync(ct);

        Assert.Null(await stale);
        Assert.Equal(["write"], (await neighbour)?.Started);
        Assert.Equal(["write"], (await current)?.Started);
        Assert.Equal(3L, await host.ScalarAsync($"SELECT input_tokens FROM workflow_steps WHERE run_id = '{taken.RunId}' AND step_key = 'research'", ct));
        Assert.Equal(2L, await host.ScalarAsync($"SELECT input_tokens FROM workflow_steps WHERE run_id = '{other.RunId}' AND step_key = 'research'", ct));
        Assert.All(spans.Statements(caller!.TraceId), s => Assert.Equal(3, s.GetTagItem("db.operation.batch.size")));
    }

    [Fact]
    public async Task CompleteStepAsync_TwoStepsOfOneRunInOneBatch_TheLaterSeesTheEarlierAndFinishesTheRun()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var spans = new SpanCapture();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct);
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var run = await PlannedRunAsync(host, store, TwoRoots, ["left", "right"], ct);

        await using var hold = await HoldAsync(host, store, ct);
        using var caller = SpanCapture.TestSource.StartActivity("caller");
        var left = store.CompleteStepAsync(run, "left", 1, 2, 0.01m, [], finishRun: false, ct);
        var right = store.CompleteStepAsync(run, "right", 3, 4, 0.02m, [], finishRun: true, ct);
        await hold.ReleaseAsync(ct);

        Assert.NotNull(await left);
        var finish = (await right)?.Finish;
        // The run's totals hold the plan's 10 / 20 / 0.1 and both steps: the second statement saw the first's change.
        Assert.Equal((WorkflowRunStatus.Completed, 14L, 26L, 0.13m), (finish?.Status, finish?.InputTokens, finish?.OutputTokens, finish?.Cost));
        Assert.Equal(14L, await host.ScalarAsync($"SELECT input_tokens FROM workflow_runs WHERE id = '{run.RunId}'", ct));
        Assert.All(spans.Statements(caller!.TraceId), s => Assert.Equal(2, s.GetTagItem("db.operation.batch.size")));
    }

    [Fact]
    public async Task CompleteStepAsync_OneStatementOfABatchFailsOnTheServer_OnlyItsCallerFailsAndTheOthersAreApplied()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct);
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var before = await PlannedRunAsync(host, store, Chain, ["research"], ct);
        var faulty = await PlannedRunAsync(host, store, Chain, ["research"], ct);
        var after = await PlannedRunAsync(host, store, Chain, ["research"], ct);

        await using var hold = await HoldAsync(host, store, ct);
        var first = store.CompleteStepAsync(before, "research", 1, 1, 0.01m, ["write"], finishRun: false, ct);
        // More than numeric(18,6) holds: the statement fails on the server, and with it the batch's transaction.
        var failing = store.CompleteStepAsync(faulty, "research", 2, 2, 10_000_000_000_000m, ["write"], finishRun: false, ct);
        var last = store.CompleteStepAsync(after, "research", 3, 3, 0.03m, ["write"], finishRun: false, ct);
        await hold.ReleaseAsync(ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() => failing);
        Assert.Equal(PostgresErrorCodes.NumericValueOutOfRange, error.SqlState);
        Assert.Equal(["write"], (await first)?.Started);
        Assert.Equal(["write"], (await last)?.Started);
        Assert.Equal("Completed", await host.ScalarAsync($"SELECT status FROM workflow_steps WHERE run_id = '{before.RunId}' AND step_key = 'research'", ct));
        Assert.Equal("Running", await host.ScalarAsync($"SELECT status FROM workflow_steps WHERE run_id = '{faulty.RunId}' AND step_key = 'research'", ct));
        Assert.Equal("Completed", await host.ScalarAsync($"SELECT status FROM workflow_steps WHERE run_id = '{after.RunId}' AND step_key = 'research'", ct));
    }

    [Fact]
    public async Task CompleteStepAsync_CancelledWhileQueued_IsNeverSent()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var spans = new SpanCapture();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct);
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var abandoned = await PlannedRunAsync(host, store, Chain, ["research"], ct);
        var other = await PlannedRunAsync(host, store, Chain, ["research"], ct);

        await using var hold = await HoldAsync(host, store, ct);
        using var caller = SpanCapture.TestSource.StartActivity("caller");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var cancelled = store.CompleteStepAsync(abandoned, "research", 1, 1, 0.01m, ["write"], finishRun: false, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var later = store.CompleteStepAsync(other, "research", 2, 2, 0.02m, ["write"], finishRun: false, ct);
        await hold.ReleaseAsync(ct);

        Assert.Equal(["write"], (await later)?.Started);
        Assert.Equal("Running", await host.ScalarAsync($"SELECT status FROM workflow_steps WHERE run_id = '{abandoned.RunId}' AND step_key = 'research'", ct));
        Assert.Equal("Pending", await host.ScalarAsync($"SELECT status FROM workflow_steps WHERE run_id = '{abandoned.RunId}' AND step_key = 'write'", ct));
        // The batch after the hold carried the one statement still queued.
        var sent = Assert.Single(spans.Statements(caller!.TraceId), s => s.Status != ActivityStatusCode.Error);
        Assert.Null(sent.GetTagItem("db.operation.batch.size"));
    }

    [Fact]
    public async Task CompleteStepAsync_RunsOfSeveralTracesInOneBatch_EachStatementIsAClientSpanOfItsCallersTrace()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var spans = new SpanCapture();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct);
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var runs = await PlannedRunsAsync(host, store, 3, ct);

        await using var hold = await HoldAsync(host, store, ct);
        var calls = new List<(Activity Caller, Task<StepCompletion?> Call)>();
        foreach (var run in runs)
        {
            // Each run's execution continues a trace of its own.
            Activity.Current = null;
            var caller = SpanCapture.TestSource.StartActivity("workflow.run");
            Assert.NotNull(caller);
            calls.Add((caller, store.CompleteStepAsync(run, "research", 1, 1, 0.01m, ["write"], finishRun: false, ct)));
            caller.Stop();
        }

        await hold.ReleaseAsync(ct);
        await Task.WhenAll(calls.Select(c => c.Call));

        var database = new NpgsqlConnectionStringBuilder(host.ConnectionString).Database;
        Assert.Equal(3, calls.Select(c => c.Caller.TraceId).Distinct().Count());
        foreach (var (caller, _) in calls)
        {
            var statement = Assert.Single(spans.Statements(caller.TraceId));
            Assert.Equal(caller.SpanId, statement.ParentSpanId);
            Assert.Equal(ActivityKind.Client, statement.Kind);
            Assert.Equal(CompleteStepSummary, statement.DisplayName);
            Assert.Equal("postgresql", statement.GetTagItem("db.system.name"));
            Assert.Equal(database, statement.GetTagItem("db.namespace"));
            Assert.Equal(CompleteStepSummary, statement.GetTagItem("db.query.summary"));
            Assert.Contains("WITH done AS", statement.GetTagItem("db.query.text") as string, StringComparison.Ordinal);
            Assert.Equal(3, statement.GetTagItem("db.operation.batch.size"));
            Assert.Equal(ActivityStatusCode.Unset, statement.Status);
        }

        // Npgsql's span of the batch (a root span of no run's trace, with every statement's text) is left out.
        Assert.DoesNotContain(spans.Stopped, s => s.Source.Name == "Npgsql"
            && (s.GetTagItem("db.query.text") as string)?.Contains("WITH done AS", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CompleteStepAsync_MoreQueuedThanMaxBatchSize_GoInBatchesOfAtMostThatMany()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var spans = new SpanCapture();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, ct, new Dictionary<string, string?> { ["Workflows:Database:MaxBatchSize"] = "2" });
        var store = host.Services.GetRequiredService<RunExecutionStore>();
        var runs = await PlannedRunsAsync(host, store, 5, ct);

        await using var hold = await HoldAsync(host, store, ct);
        using var caller = SpanCapture.TestSource.StartActivity("caller");
        var calls = runs.Select(run => store.CompleteStepAsync(run, "research", 1, 1, 0.01m, ["write"], finishRun: false, ct)).ToArray();
        await hold.ReleaseAsync(ct);

        Assert.All(await Task.WhenAll(calls), result => Assert.Equal(["write"], result?.Started));
        // Two batches of two, then the last one alone (no batch size on a statement sent alone).
        var sizes = spans.Statements(caller!.TraceId).Select(s => s.GetTagItem("db.operation.batch.size")).ToArray();
        Assert.Equal(5, sizes.Length);
        Assert.Equal(4, sizes.Count(size => Equals(size, 2)));
        Assert.Single(sizes, size => size is null);
    }

    /// <summary><paramref name="count"/> runs of <c>Chain</c> planned one after the other, each with its first step Running.</summary>
    private static async Task<List<RunExecution>> PlannedRunsAsync(WorkflowsTestHost host, RunExecutionStore store, int count, CancellationToken cancellationToken)
    {
        var runs = new List<RunExecution>(count);
        for (var i = 0; i < count; i++)
        {
            runs.Add(await PlannedRunAsync(host, store, Chain, ["research"], cancellationToken));
        }

        return runs;
    }

    /// <summary>A started run with its plan recorded (10 / 20 tokens, 0.1 cost) and <paramref name="startNow"/> Running.</summary>
    private static async Task<RunExecution> PlannedRunAsync(
        WorkflowsTestHost host, RunExecutionStore store, WorkflowPlan plan, string[] startNow, CancellationToken cancellationToken)
    {
        var created = await host.WithStoreAsync(s => s.CreateAsync(new CreateRunRequest("session-1", "batched"), cancellationToken));
        var run = await store.TryStartAsync(created.Run.Id, takeOver: false, cancellationToken);
        Assert.NotNull(run);
        Assert.True(await store.TryRecordPlanAsync(run, plan, 1.0, 10, 20, 0.1m, startNow, cancellationToken));
        return run;
    }

    /// <summary>Locks a new run's row in a transaction of the test's own and sends its start, which waits for the lock.</summary>
    private static async Task<BatcherHold> HoldAsync(WorkflowsTestHost host, RunExecutionStore store, CancellationToken cancellationToken)
    {
        var blocker = await host.WithStoreAsync(s => s.CreateAsync(new CreateRunRequest("session-1", "blocker"), cancellationToken));
        var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT 1 FROM workflow_runs WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = blocker.Run.Id });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        Task<RunExecution?> start;
        using (ExecutionContext.SuppressFlow())
        {
            // Outside the test's traces: the hold's own statement is no caller's under test.
            start = Task.Run(() => store.TryStartAsync(blocker.Run.Id, takeOver: false, cancellationToken), cancellationToken);
        }

        await Poll.UntilAsync(
            async c => (long)(await host.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", c))!,
            waiting => waiting == 1,
            cancellationToken);
        return new BatcherHold(connection, transaction, start);
    }

    /// <summary>The batch in flight waits for a lock the test holds; <see cref="ReleaseAsync"/> lets it (and the queue) go.</summary>
    private sealed class BatcherHold(NpgsqlConnection connection, NpgsqlTransaction transaction, Task<RunExecution?> start) : IAsyncDisposable
    {
        public async Task ReleaseAsync(CancellationToken cancellationToken)
        {
            await transaction.RollbackAsync(cancellationToken);
            Assert.NotNull(await start.WaitAsync(cancellationToken));
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
