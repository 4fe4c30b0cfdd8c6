using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

[Trait("Category", "Integration")]
public sealed class WorkflowRunQueriesTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task ListAsync_PagesWhileNewRunsArrive_ReturnsEveryRunOnceNewestFirst()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var expected = new List<WorkflowRun>();
        for (var i = 0; i < 7; i++)
        {
            // Pairs share a timestamp, so the id must break ties for the order to be stable.
            if (i % 2 == 0)
            {
                host.Time.Advance(TimeSpan.FromSeconds(1));
            }

            expected.Add((await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-a", $"task {i}"), timeout.Token))).Run);
        }

        await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-b", "someone else's"), timeout.Token));
        expected = [.. expected.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id.ToString("N"), StringComparer.Ordinal)];

        var seen = new List<Guid>();
        RunPageCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await host.WithQueriesAsync(q => q.ListAsync("session-a", null, cursor, 3, timeout.Token));
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = page.Next is null ? null : (RunPageCursor.TryDecode(page.Next.Encode(), out var decoded) ? decoded : throw new InvalidOperationException("cursor"));
            pages++;

            // A run submitted mid-way is newer than every cursor: it must not shift or repeat later pages.
            await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-a", $"late {pages}"), timeout.Token));
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(expected.Select(r => r.Id), seen);
    }

    [Fact]
    public async Task ListAsync_StatusFilter_ReturnsOnlyThatStatusAcrossPages()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var cancelled = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            host.Time.Advance(TimeSpan.FromSeconds(1));
            var run = (await host.WithStoreAsync(store => store.CreateAsync(new CreateRunRequest("session-a", $"task {i}"), timeout.Token))).Run;
            if (i != 2)
            {
                await host.WithStoreAsync(store => store.CancelAsync(run.Id, timeout.Token));
                cancelled.Insert(0, run.Id);
            }
        }

        var first = await host.WithQueriesAsync(q => q.ListAsync("session-a", WorkflowRunStatus.Cancelled, null, 2, timeout.Token));
        var second = await host.WithQueriesAsync(q => q.ListAsync("session-a", WorkflowRunStatus.Cancelled, first.Next, 2, timeout.Token));
        var queued = await host.WithQueriesAsync(q => q.ListAsync("session-a", WorkflowRunStatus.Queued, null, 2, timeout.Token));

        Assert.Equal(cancelled, first.Items.Concat(second.Items).Select(r => r.Id));
        Assert.Null(second.Next);
        Assert.Equal("task 2", Assert.Single(queued.Items).Task);
        Assert.Null(queued.Next);
    }

    [Fact]
    public async Task GetPerformanceSummaryAsync_KnownRuns_MatchesHandComputedNumbers()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);
        var now = host.Time.GetUtcNow();
        WorkflowRun Run(string session, WorkflowRunStatus status, double? seconds, decimal cost, TimeSpan age)
        {
            var started = now - age;
            return new WorkflowRun
            {
                Id = Guid.NewGuid(),
                SessionId = session,
                Task = "t",
                Status = status,
                CreatedAt = started,
                StartedAt = seconds is null ? null : started,
                CompletedAt = seconds is null ? null : started.AddSeconds(seconds.Value),
                Cost = cost,
            };
        }

        await host.WithDbAsync(async db =>
        {
            db.Runs.AddRange(
                Run("s", WorkflowRunStatus.Completed, 10, 0.10m, TimeSpan.FromMinutes(50)),
                Run("s", WorkflowRunStatus.Completed, 20, 0.20m, TimeSpan.FromMinutes(40)),
                Run("s", WorkflowRunStatus.Completed, 30, 0.30m, TimeSpan.FromMinutes(30)),
                Run("s", WorkflowRunStatus.Completed, 40, 0.40m, TimeSpan.FromMinutes(20)),
                Run("s", WorkflowRunStatus.Failed, 50, 0.50m, TimeSpan.FromMinutes(10)),
                Run("s", WorkflowRunStatus.Queued, null, 0m, TimeSpan.FromMinutes(1)),
                Run("s", WorkflowRunStatus.Failed, 500, 9m, TimeSpan.FromHours(3)),
                Run("other", WorkflowRunStatus.Failed, 700, 7m, TimeSpan.FromMinutes(5)));
            return await db.SaveChangesAsync(timeout.Token);
        });

        var summary = await host.WithQueriesAsync(q => q.GetPerformanceSummaryAsync("s", TimeSpan.FromHours(2), timeout.Token));

        // In the window: durations 10, 20, 30, 40 (completed), 50 (failed); one queued; costs 1.50 over 6 runs.
        // p95 by linear interpolation: rank 0.95 * (5 - 1) = 3.8, so 40 + 0.8 * (50 - 40) = 48.
        Assert.Equal(6, summary.Runs);
        Assert.Equal(4, summary.Completed);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(0.2, summary.ErrorRate, 12);
        Assert.Equal(30, summary.AverageDurationSeconds!.Value, 9);
        Assert.Equal(48, summary.P95DurationSeconds!.Value, 9);
        Assert.Equal(50, summary.MaxDurationSeconds!.Value, 9);
        Assert.Equal(1.50m, summary.TotalCost);
        Assert.Equal(0.25m, summary.AverageCost);
    }

    [Fact]
    public async Task GetPerformanceSummaryAsync_NoRuns_ReturnsZerosAndNulls()
    {
        using var timeout = TestTimeout.Start();
        await using var host = await WorkflowsTestHost.CreateAsync(postgres, start: true, timeout.Token);

        var summary = await host.WithQueriesAsync(q => q.GetPerformanceSummaryAsync("nobody", TimeSpan.FromHours(1), timeout.Token));

        Assert.Equal(new PerformanceSummary(0, 0, 0, 0, null, null, null, 0m, null), summary);
    }
}
