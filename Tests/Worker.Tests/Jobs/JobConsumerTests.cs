using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Jobs;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;
using StackExchange.Redis;

namespace Observability.Worker.Tests.Jobs;

[Trait("Category", "Integration")]
public sealed partial class JobConsumerTests(PostgresServerFixture postgres)
{
    private const string Task = "Research the market for solar panels. Write a summary of the findings; then draft a recommendation";

    [Fact]
    public async Task ProcessAsync_QueuedJob_CompletesWithStepsAndOrderedEvents()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);

        var steps = await host.GetStepsAsync(runId, ct);
        Assert.NotNull(run.Plan);
        Assert.Equal(run.Plan.Steps.Count, steps.Count);
        Assert.Equal(5, steps.Count);
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Completed, s.Status));
        Assert.All(steps, s => Assert.True(s.OutputTokens > 0 && s.Cost > 0, $"step {s.StepKey} has no tokens or cost"));
        Assert.True(run.InputTokens > steps.Sum(s => s.InputTokens), "the run's totals include the planning call");
        Assert.True(run.Cost > steps.Sum(s => s.Cost));
        Assert.Equal(1.0, run.QualityScore);
        Assert.Equal(1, run.AttemptCount);
        Assert.All(run.Plan.Steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Explanation)));

        var events = await host.GetEventsAsync(runId, ct);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(WorkflowEventType.Queued, events[0].Type);
        Assert.Equal(WorkflowEventType.Planned, events[1].Type);
        Assert.Equal(WorkflowEventType.Completed, events[^1].Type);
        Assert.Equal(steps.Count, events.Count(e => e.Type == WorkflowEventType.StepStarted));
        Assert.Equal(steps.Count, events.Count(e => e.Type == WorkflowEventType.StepCompleted));
        Assert.Equal(steps.Count, events.Count(e => e.Type == WorkflowEventType.LlmCall));
        Assert.Equal(WorkflowPlan.FromModel, run.Plan.Source);
        Assert.Equal(["scope", "task-1", "task-2", "task-3", "review"], run.Plan.Steps.Select(s => s.Id));
        var reviewStarted = events.Single(e => e.Type == WorkflowEventType.StepStarted && e.Payload!.Value.GetProperty("step").GetString() == "review");
        var partsCompleted = events.Where(e => e.Type == WorkflowEventType.StepCompleted && e.Payload!.Value.GetProperty("step").GetString()!.StartsWith("task-", StringComparison.Ordinal));
        Assert.Equal(3, partsCompleted.Count());
        Assert.All(partsCompleted, e => Assert.True(e.Sequence < reviewStarted.Sequence, "a step starts only after its dependencies completed"));
    }

    [Fact]
    public async Task ReadAsync_JobAddedWhileIdleWithoutNudge_PickedUpWithinTheBlockingRead()
    {
        // PollInterval (the longest one read blocks) of a minute, twice the test's deadline: the job must be answered
        // to the read already waiting in Redis, not found by a later one. Nothing is published on any channel.
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Worker:PollInterval"] = "00:01:00",
            ["Workflows:Worker:MaintenanceInterval"] = "00:01:00",
            ["Workflows:Worker:ClaimIdleTime"] = "00:10:00",
        });
        var runId = await host.CreateRunAsync(Task, ct);
        await host.StartAsync(ct);

        // The consumer is idle: its read waits in Redis (a client blocked in XREADGROUP) when the job comes.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(host.Server.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await Poll.UntilAsync(
            async _ => await server.ClientListAsync(),
            clients => clients.Any(c => c.Flags.HasFlag(ClientFlags.Blocked) && c.LastCommand == "xreadgroup"),
            ct);
        await host.EnqueueAsync(runId, ct);

        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
    }

    [Fact]
    public async Task ReadAsync_RedisRequiresAPassword_ReadConnectionUsesTheConnectionStringsCredentials()
    {
        // Jobs are read only on the consumer's own connection: it must authenticate as Aspire's multiplexer does.
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, redisPassword: "worker-secret");
        var runId = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
        Assert.DoesNotContain(host.LogMessages, m => m.Contains("worker-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadinessCheck_ReadConnection_HealthyWhileConnectedUnhealthyWhenRedisIsDown()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        await host.StartAsync(ct);
        var health = host.Services.GetRequiredService<HealthCheckService>();
        async Task<HealthStatus> ReadConnectionStatusAsync(CancellationToken token)
            => (await health.CheckHealthAsync(r => r.Tags.Contains("ready"), token)).Entries[JobReadConnection.HealthCheckName].Status;

        await Poll.UntilAsync(ReadConnectionStatusAsync, status => status == HealthStatus.Healthy, ct);
        await host.Server.KillAsync();

        await Poll.UntilAsync(ReadConnectionStatusAsync, status => status == HealthStatus.Unhealthy, ct);
    }

    [Fact]
    public async Task ProcessAsync_SameJobDeliveredTwice_ExecutesOnce()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var runId = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(runId, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);

        Assert.Equal(1, run.AttemptCount);
        var events = await host.GetEventsAsync(runId, ct);
        Assert.Single(events, e => e.Type == WorkflowEventType.Planned);
        Assert.Single(events, e => e.Type == WorkflowEventType.Completed);
        Assert.Equal(run.Plan!.Steps.Count, events.Count(e => e.Type == WorkflowEventType.StepStarted));
        Assert.Empty(await host.Redis.StreamRangeAsync(WorkflowStreams.DeadLetters));
    }

    [Fact]
    public async Task ClaimAsync_EntryReadByDeadConsumer_ClaimedAndCompleted()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await ClaimingHostAsync(ct);
        var (runId, _) = await host.JobReadByDeadConsumerAsync(Task, ct);

        await host.StartAsync(ct);

        await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
    }

    [Fact]
    public async Task ClaimAsync_ConsumerDiedBetweenStartAndFirstEvent_TakeoverSaysItStartedAfresh()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await ClaimingHostAsync(ct);
        var (runId, _) = await host.JobReadByDeadConsumerAsync(Task, ct);

        // The other consumer had started the run (attempt 1, Running) and was killed before its first append.
        await host.CrashAfterStartAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
        Assert.Equal(2, run.AttemptCount);
        var events = await host.GetEventsAsync(runId, ct);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal([WorkflowEventType.Queued, WorkflowEventType.Planned], events.Take(2).Select(e => e.Type));
        // Nothing of attempt 1 is missing: the hub shows a new follower the whole stream, without a "truncated" frame.
        Assert.Equal((2, false), (events[0].Payload!.Value.GetProperty("attempt").GetInt32(), events[0].Payload!.Value.GetProperty("resumed").GetBoolean()));
        Assert.Single(events, e => e.Type == WorkflowEventType.Completed);
    }

    [Fact]
    public async Task ReadAsync_StreamAndGroupLostWhileRunning_GroupRecreatedAndNextJobCompleted()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var first = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(first, ct);
        await host.StartAsync(ct);
        await host.WaitForStatusAsync(first, WorkflowRunStatus.Completed, ct);

        // As after a Redis restart without persistence: the stream, and with it the consumer group, are gone.
        await host.Redis.KeyDeleteAsync(WorkflowStreams.Jobs);
        var second = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(second, ct);

        var run = await host.WaitForStatusAsync(second, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
        Assert.Equal(1, run.AttemptCount);
    }

    [Fact]
    public async Task ProcessAsync_UnparsableMessage_DeadLetteredWithReason()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        await host.CreateRunAsync(Task, ct);
        var entryId = await host.EnqueueRawAsync("{not json", ct);
        await host.StartAsync(ct);

        var dead = Assert.Single(await host.WaitForDeadLettersAsync(1, ct));
        await host.WaitForNoPendingAsync(ct);
        Assert.Equal(entryId, dead["original_id"]);
        Assert.Contains("not a WorkflowJobMessage", dead["reason"], StringComparison.Ordinal);
        Assert.Equal("{not json", dead[WorkflowStreams.MessageField]);
    }

    [Fact]
    public async Task ProcessAsync_UnknownRun_DeadLetteredWithReason()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        await host.CreateRunAsync(Task, ct);
        var missing = Guid.CreateVersion7();
        await host.EnqueueAsync(missing, ct);
        await host.StartAsync(ct);

        var dead = Assert.Single(await host.WaitForDeadLettersAsync(1, ct));
        Assert.Contains($"Run {missing} does not exist", dead["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_DeliveredMoreThanMaxDeliveries_RunDeadLettered()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Worker:ClaimIdleTime"] = "00:00:00.200",
            ["Workflows:Worker:MaxDeliveries"] = "2",
        });
        var runId = await host.CreateRunAsync(Task, ct);
        await host.Redis.StreamCreateConsumerGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "0");
        await host.EnqueueAsync(runId, ct);

        // Two deliveries to a consumer that crashes each time (reads, never acknowledges).
        await host.Redis.StreamReadGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "crashing-worker", ">", 1);
        await host.Redis.StreamReadGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "crashing-worker", "0", 1);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.DeadLettered, ct);
        var dead = Assert.Single(await host.WaitForDeadLettersAsync(1, ct));
        await host.WaitForNoPendingAsync(ct);
        Assert.Contains("Delivered 3 times", run.DeadLetterReason, StringComparison.Ordinal);
        Assert.Equal(run.DeadLetterReason, (string?)dead["reason"]);
        Assert.Equal(0, run.AttemptCount);
    }

    [Fact]
    public async Task ProcessAsync_LlmAlwaysFailing_StepsRetriedThenRunFailedWithTheReason()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Llm:Simulated:FailureRate"] = "1",
            ["Llm:Resilience:MaxRetryAttempts"] = "2",
        });
        var runId = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Failed, ct);
        await host.WaitForNoPendingAsync(ct);

        // The planning call failed too: the deterministic plan was used and says why.
        Assert.NotNull(run.Plan);
        Assert.Equal(WorkflowPlan.FromFallback, run.Plan.Source);
        Assert.Contains("planning call failed (503)", run.Plan.FallbackReason, StringComparison.Ordinal);
        var steps = await host.GetStepsAsync(runId, ct);
        var first = Assert.Single(steps, s => s.Status == WorkflowStepStatus.Failed);
        Assert.Equal("analyze", first.StepKey);
        Assert.Equal("LLM call failed: 503 after 3 attempt(s).", first.Error);
        Assert.All(steps.Where(s => s.StepKey != "analyze"), s => Assert.Equal(WorkflowStepStatus.Skipped, s.Status));

        var events = await host.GetEventsAsync(runId, ct);
        Assert.Equal(WorkflowEventType.Failed, events[^1].Type);
        Assert.Contains("Step 'analyze' failed: LLM call failed: 503 after 3 attempt(s).", events[^1].Payload!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.Redis.StreamRangeAsync(WorkflowStreams.DeadLetters));
    }

    [Fact]
    public async Task ProcessAsync_TransientLlmFailures_StepRetriedAndRunCompletes()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;

        // Half of all attempts fail with 503; each retry draws again, so with 10 retries every step gets through (the
        // circuit breaker opens only when every attempt fails).
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Llm:Simulated:FailureRate"] = "0.5",
            ["Llm:Resilience:MaxRetryAttempts"] = "10",
            ["Llm:Resilience:BreakerFailureRatio"] = "1",
        });
        var runId = await host.CreateRunAsync(Task, ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        var steps = await host.GetStepsAsync(runId, ct);
        Assert.Equal(run.Plan!.Steps.Count, steps.Count);
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Completed, s.Status));
        Assert.Equal(1, run.AttemptCount);
    }

    [Fact]
    public async Task ClaimAsync_ConsumerDiedMidRunWithoutAck_ClaimedResumedAndCompletedOnce()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await ClaimingHostAsync(ct);
        var (runId, entryId) = await host.JobReadByDeadConsumerAsync(Task, ct);

        // The other consumer had planned the run, completed one step, was inside the next, and died unacknowledged.
        var plan = await host.CrashMidRunAsync(runId, Task, ct);
        await host.StartAsync(ct);

        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
        Assert.Equal(2, run.AttemptCount);
        var steps = await host.GetStepsAsync(runId, ct);
        Assert.Equal(plan.Steps.Select(s => s.Id).Order(StringComparer.Ordinal), steps.Select(s => s.StepKey));
        Assert.All(steps, s => Assert.Equal(WorkflowStepStatus.Completed, s.Status));
        var first = Assert.Single(steps, s => s.StepKey == plan.Steps[0].Id);
        Assert.Equal((111, 222), (first.InputTokens, first.OutputTokens));
        Assert.Equal(steps.Sum(s => s.OutputTokens), run.OutputTokens);

        var events = await host.GetEventsAsync(runId, ct);
        Assert.Single(events, e => e.Type == WorkflowEventType.Completed);
        Assert.Equal(plan.Steps.Count - 1, events.Count(e => e.Type == WorkflowEventType.StepCompleted));
        // The takeover found the stream empty with the plan recorded: it says it resumed, so a follower is told that the
        // first attempt's events are missing.
        Assert.Equal((WorkflowEventType.Queued, 1L), (events[0].Type, events[0].Sequence));
        Assert.Equal((2, true), (events[0].Payload!.Value.GetProperty("attempt").GetInt32(), events[0].Payload!.Value.GetProperty("resumed").GetBoolean()));
        Assert.Empty(await host.Redis.StreamRangeAsync(WorkflowStreams.DeadLetters));
        Assert.Equal(entryId, (await host.Redis.StreamRangeAsync(WorkflowStreams.Jobs)).Single().Id);
    }

    [Fact]
    public async Task ClaimAsync_DeadConsumerHeldManyJobs_OneClaimRoundResumesThemAll()
    {
        using var timeout = TestTimeout.Start(60);
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Worker:Concurrency"] = "2",
            ["Workflows:Worker:ClaimIdleTime"] = "00:00:00.500",
            ["Workflows:Worker:MaintenanceInterval"] = "00:00:00.200",
        });
        const int Orphans = 24;
        var runIds = new List<Guid>();
        for (var i = 0; i < Orphans; i++)
        {
            runIds.Add(await host.CreateRunAsync(Task, ct));
        }

        await host.Redis.StreamCreateConsumerGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "0");
        foreach (var runId in runIds)
        {
            await host.EnqueueAsync(runId, ct);
        }

        // One read by a consumer that then died: all 24 became idle at the same moment. The worker starts once they are
        // idle past ClaimIdleTime, so its first claim round cannot straddle the moment they become claimable (a round
        // that began a millisecond early would pass over the first entries and claim only the rest).
        Assert.Equal(Orphans, (await host.Redis.StreamReadGroupAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, "dead-worker", ">", Orphans)).Length);
        await Poll.UntilAsync(
            token => host.Redis.StreamPendingMessagesAsync(WorkflowStreams.Jobs, WorkflowStreams.WorkersGroup, Orphans, "dead-worker").WaitAsync(token),
            pending => pending.Length == Orphans && pending.All(p => p.IdleTimeInMilliseconds > 500),
            ct);
        await host.StartAsync(ct);

        foreach (var runId in runIds)
        {
            var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
            Assert.Equal(1, run.AttemptCount);
        }

        await host.WaitForNoPendingAsync(ct);
        Assert.Empty(await host.Redis.StreamRangeAsync(WorkflowStreams.DeadLetters));

        // A claim round follows XAUTOCLAIM's cursor as slots free up (2 here), so the first round that found them
        // claimed all 24, not as many as slots were free at its tick.
        var rounds = host.LogMessages.Select(m => ClaimedCount().Match(m)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Orphans, rounds.FirstOrDefault());
    }

    [Fact]
    public async Task Dispose_HostDisposedWithoutStop_ConsumerEndsWithoutFault()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        // As when a later service's start fails (e.g. its port is taken): the host is disposed while the consumer runs.
        var host = await WorkerTestHost.CreateAsync(postgres, ct);
        await host.StartAsync(ct);
        var consumer = host.Services.GetServices<IHostedService>().OfType<JobConsumer>().Single();
        await Poll.UntilAsync(
            async token => await host.Redis.KeyExistsAsync(WorkflowStreams.Jobs).WaitAsync(token) && (await host.Redis.StreamGroupInfoAsync(WorkflowStreams.Jobs).WaitAsync(token)).Length == 1,
            created => created,
            ct);

        await host.DisposeWithoutStopAsync();

        await consumer.ExecuteTask!.WaitAsync(ct);
        Assert.True(consumer.ExecuteTask.IsCompletedSuccessfully, $"the consumer ended {consumer.ExecuteTask.Status}: {consumer.ExecuteTask.Exception}");
    }

    [GeneratedRegex(@"^Claimed (\d+) jobs")]
    private static partial Regex ClaimedCount();

    /// <summary>A worker host (not started) that claims a dead consumer's job after 200 ms of idleness.</summary>
    private Task<WorkerTestHost> ClaimingHostAsync(CancellationToken cancellationToken) =>
        WorkerTestHost.CreateAsync(postgres, cancellationToken, new Dictionary<string, string?>
        {
            ["Workflows:Worker:ClaimIdleTime"] = "00:00:00.200",
        });
}
