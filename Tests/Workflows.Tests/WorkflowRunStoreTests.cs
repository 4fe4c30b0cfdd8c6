using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class WorkflowRunStoreTests(PostgresServerFixture postgres)
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public async Task CreateAsync_NewRequest_WritesQueuedRunAndItsJobTogether()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        var result = await host.WithStoreAsync(store => store.CreateAsync(
            new CreateRunRequest("session-1", "plan a trip", Agent: "planner", TraceParent: TraceParent, Baggage: "tenant=acme", CorrelationId: "corr-1"),
            timeout.Token));

        Assert.Equal(CreateRunOutcome.Created, result.Outcome);
        var (run, outbox) = await host.WithDbAsync(async db => (
            await db.Runs.SingleAsync(timeout.Token),
            await db.OutboxMessages.SingleAsync(timeout.Token)));
        Assert.Equal(result.Run.Id, run.Id);
        Assert.Equal(WorkflowRunStatus.Queued, run.Status);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", run.TraceId);
        Assert.Equal("corr-1", run.CorrelationId);
        Assert.Equal(host.Time.GetUtcNow(), run.CreatedAt);
        Assert.Equal(WorkflowStreams.Jobs, outbox.Stream);
        Assert.Equal(0, outbox.Attempts);
        var job = JsonSerializer.Deserialize(outbox.Payload, WorkflowsJsonContext.Default.WorkflowJobMessage);
        Assert.Equal(new WorkflowJobMessage(run.Id, 1, TraceParent, "tenant=acme"), job);
    }

    [Fact]
    public async Task CreateAsync_OutboxInsertFails_LeavesNeitherRow()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        // The database itself refuses the outbox row, after the run row was inserted in the same batch.
        await host.ScalarAsync(
            """
            CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$;
            CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_outbox();
            """,
            timeout.Token);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip"), timeout.Token)));

        Assert.Contains("outbox unavailable", error.InnerException?.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await host.ScalarAsync("SELECT count(*) FROM workflow_runs", timeout.Token));
        Assert.Equal(0L, await host.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task CreateAsync_SameKeySameRequest_ReturnsTheExistingRun()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var request = new CreateRunRequest("session-1", "plan a trip", IdempotencyKey: "key-1", TraceParent: TraceParent);

        var first = await host.WithStoreAsync(store => store.CreateAsync(request, timeout.Token));
        var second = await host.WithStoreAsync(store => store.CreateAsync(request with { TraceParent = null, CorrelationId = "retry" }, timeout.Token));

        Assert.Equal(CreateRunOutcome.Created, first.Outcome);
        Assert.Equal(CreateRunOutcome.Replayed, second.Outcome);
        Assert.Equal(first.Run.Id, second.Run.Id);
        Assert.Equal(1L, await host.ScalarAsync("SELECT count(*) FROM workflow_runs", timeout.Token));
        Assert.Equal(1L, await host.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task CreateAsync_SameKeyDifferentRequest_ReturnsConflictAndWritesNothing()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var first = await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip", IdempotencyKey: "key-1"), timeout.Token));

        var second = await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a holiday", IdempotencyKey: "key-1"), timeout.Token));

        Assert.Equal(CreateRunOutcome.IdempotencyKeyConflict, second.Outcome);
        Assert.Equal(first.Run.Id, second.Run.Id);
        Assert.Equal(1L, await host.ScalarAsync("SELECT count(*) FROM workflow_runs", timeout.Token));
        Assert.Equal(1L, await host.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task CreateAsync_ConcurrentSameKey_CreatesOneRunAndReplaysTheRest()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var request = new CreateRunRequest("session-1", "plan a trip", IdempotencyKey: "key-1");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.WithStoreAsync(store => store.CreateAsync(request, timeout.Token)), timeout.Token)));

        Assert.Single(results, r => r.Outcome == CreateRunOutcome.Created);
        Assert.All(results, r => Assert.NotEqual(CreateRunOutcome.IdempotencyKeyConflict, r.Outcome));
        Assert.Single(results.Select(r => r.Run.Id).Distinct());
        Assert.Equal(1L, await host.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task CreateAsync_TaskOver32Kilobytes_Throws()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        await Assert.ThrowsAsync<ArgumentException>(() => host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", new string('é', 16 * 1024 + 1)), timeout.Token)));
        Assert.Equal(CreateRunOutcome.Created, (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", new string('é', 16 * 1024)), timeout.Token))).Outcome);
    }

    [Fact]
    public async Task TryStartAsync_ConcurrentStarters_ExactlyOneWins()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip"), timeout.Token))).Run;

        var starters = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => host.WithStoreAsync(store => store.TryStartAsync(run.Id, timeout.Token)), timeout.Token))
            .ToArray();
        var won = await Task.WhenAll(starters);

        Assert.Single(won, w => w);
        Assert.Equal("Running", await host.ScalarAsync($"SELECT status FROM workflow_runs WHERE id = '{run.Id}'", timeout.Token));
        Assert.Equal(1, await host.ScalarAsync($"SELECT attempt_count FROM workflow_runs WHERE id = '{run.Id}'", timeout.Token));
    }

    [Fact]
    public async Task CompleteAsync_QueuedRun_IsRejectedAndLeavesItQueued()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip"), timeout.Token))).Run;

        var result = await host.WithStoreAsync(store => store.CompleteAsync(run.Id, 10, 20, 0.5m, timeout.Token));

        Assert.Equal(new TransitionResult(TransitionOutcome.Rejected, WorkflowRunStatus.Queued), result);
        Assert.Equal("Queued", await host.ScalarAsync($"SELECT status FROM workflow_runs WHERE id = '{run.Id}'", timeout.Token));
    }

    [Fact]
    public async Task CompleteAsync_RunningRun_RecordsTotalsThenRefusesCancel()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip"), timeout.Token))).Run;
        Assert.True(await host.WithStoreAsync(store => store.TryStartAsync(run.Id, timeout.Token)));
        host.Time.Advance(TimeSpan.FromSeconds(12.5));

        var completed = await host.WithStoreAsync(store => store.CompleteAsync(run.Id, 120, 340, 0.0425m, timeout.Token));
        var cancelled = await host.WithStoreAsync(store => store.CancelAsync(run.Id, timeout.Token));
        var failed = await host.WithStoreAsync(store => store.FailAsync(run.Id, timeout.Token));

        Assert.True(completed.Applied);
        Assert.Equal(new TransitionResult(TransitionOutcome.Rejected, WorkflowRunStatus.Completed), cancelled);
        Assert.Equal(TransitionOutcome.Rejected, failed.Outcome);
        var stored = await host.WithDbAsync(db => db.Runs.AsNoTracking().SingleAsync(timeout.Token));
        Assert.Equal((WorkflowRunStatus.Completed, 120L, 340L, 0.0425m), (stored.Status, stored.InputTokens, stored.OutputTokens, stored.Cost));
        Assert.Equal(TimeSpan.FromSeconds(12.5), stored.CompletedAt - stored.StartedAt);
    }

    [Fact]
    public async Task CancelAsync_QueuedRun_CancelsAndStopsAStart()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip"), timeout.Token))).Run;

        var cancelled = await host.WithStoreAsync(store => store.CancelAsync(run.Id, timeout.Token));

        Assert.True(cancelled.Applied);
        Assert.False(await host.WithStoreAsync(store => store.TryStartAsync(run.Id, timeout.Token)));
    }

    [Fact]
    public async Task DeadLetterAsync_FailedRun_RecordsReason()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", "plan a trip"), timeout.Token))).Run;
        await host.WithStoreAsync(store => store.TryStartAsync(run.Id, timeout.Token));
        Assert.True((await host.WithStoreAsync(store => store.FailAsync(run.Id, timeout.Token))).Applied);

        var result = await host.WithStoreAsync(store => store.DeadLetterAsync(run.Id, "3 attempts failed", timeout.Token));

        Assert.True(result.Applied);
        Assert.Equal("3 attempts failed", await host.ScalarAsync($"SELECT dead_letter_reason FROM workflow_runs WHERE id = '{run.Id}'", timeout.Token));
    }

    [Fact]
    public async Task CancelAsync_UnknownRun_ReturnsNotFound()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        var result = await host.WithStoreAsync(store => store.CancelAsync(Guid.NewGuid(), timeout.Token));

        Assert.Equal(new TransitionResult(TransitionOutcome.NotFound, null), result);
    }
}
