using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Messaging;
using Observability.Workflows.Outbox;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class OutboxRelayTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task RelayBatchAsync_PendingJobs_PublishesOldestFirstAndDeletesThem()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runs = await CreateRunsAsync(host, 3, timeout.Token);
        var published = new List<Guid>();

        var count = await RelayAsync(host, 10, (m, _) => { published.Add(RunIdOf(m)); return Task.CompletedTask; }, timeout.Token);
        var again = await RelayAsync(host, 10, (_, _) => throw new InvalidOperationException("nothing should be left"), timeout.Token);

        Assert.Equal(3, count);
        Assert.Equal(0, again);
        Assert.Equal(runs, published);
        Assert.Equal(0L, await host.ScalarAsync("SELECT count(*) FROM outbox_messages", timeout.Token));
    }

    [Fact]
    public async Task RelayBatchAsync_PublishFails_DeletesTheEarlierPublishedAndCountsTheAttempt()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var runs = await CreateRunsAsync(host, 3, timeout.Token);

        await Assert.ThrowsAsync<IOException>(() => RelayAsync(
            host,
            10,
            (m, _) => RunIdOf(m) == runs[1] ? throw new IOException("stream unavailable") : Task.CompletedTask,
            timeout.Token));

        Assert.Equal(0L, await host.ScalarAsync($"SELECT count(*) FROM outbox_messages WHERE payload->>'runId' = '{runs[0]}'", timeout.Token));
        Assert.Equal(1, await host.ScalarAsync($"SELECT attempts FROM outbox_messages WHERE payload->>'runId' = '{runs[1]}'", timeout.Token));
        Assert.Equal(0, await host.ScalarAsync($"SELECT attempts FROM outbox_messages WHERE payload->>'runId' = '{runs[2]}'", timeout.Token));
        Assert.Equal(2, await RelayAsync(host, 10, (_, _) => Task.CompletedTask, timeout.Token));
    }

    [Fact]
    public async Task RelayBatchAsync_TwoRelaysTogether_ClaimDisjointMessages()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        await CreateRunsAsync(host, 6, timeout.Token);
        var firstClaimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var published = new ConcurrentBag<Guid>();

        // The first relay holds its batch (3 rows locked) while the second claims; the second must skip those rows.
        var first = RelayAsync(
            host,
            3,
            async (m, ct) =>
            {
                firstClaimed.TrySetResult();
                await releaseFirst.Task.WaitAsync(ct);
                published.Add(RunIdOf(m));
            },
            timeout.Token);
        await firstClaimed.Task.WaitAsync(timeout.Token);
        var second = await RelayAsync(host, 10, (m, _) => { published.Add(RunIdOf(m)); return Task.CompletedTask; }, timeout.Token);
        releaseFirst.SetResult();

        Assert.Equal(3, second);
        Assert.Equal(3, await first);
        Assert.Equal(6, published.Distinct().Count());
        Assert.Equal(6, published.Count);
    }

    private static Guid RunIdOf(OutboxMessage message) => JsonSerializer.Deserialize(message.Payload, WorkflowsJsonContext.Default.WorkflowJobMessage)!.RunId;

    private static async Task<int> RelayAsync(WorkflowsTestHost host, int max, Func<OutboxMessage, CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OutboxRelay>().RelayBatchAsync(max, publish, cancellationToken);
    }

    private static async Task<List<Guid>> CreateRunsAsync(WorkflowsTestHost host, int count, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-1", $"task {i}"), cancellationToken))).Run.Id);
        }

        return ids;
    }
}
