using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Observability.AppHost.Startup;

namespace Observability.AppHost.Tests;

/// <summary>
/// The AppHost's health checks, until they first pass, repeat within one of Aspire's checks instead of reporting a
/// failure and waiting for Aspire's back-off (<see cref="PromptHealthCheckExtensions"/>).
/// </summary>
public sealed class PromptHealthCheckTests
{
    [Theory]
    [InlineData(true, HealthStatus.Healthy, 4)]
    [InlineData(false, HealthStatus.Unhealthy, 1)]
    public async Task CheckThatHasNeverPassed_OnIsRepeatedUntilItPassesWithinOneRun_OffReportsAfterOneCall(bool prompt, HealthStatus expected, int calls)
    {
        var check = new FailingFirst(3);

        var report = await HealthChecks(check, prompt).CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, report.Status);
        Assert.Equal(calls, check.Calls);
    }

    [Fact]
    public async Task CheckThatPassedOnce_ReportsTheNextFailureAtOnce()
    {
        var check = new FailingFirst(0);
        var health = HealthChecks(check, prompt: true);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(TestContext.Current.CancellationToken)).Status);

        check.FailFromNowOn();
        var report = await health.CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(2, check.Calls);
    }

    [Fact]
    public async Task CheckThatNeverPasses_IsReportedUnhealthy_OncePollForHasPassed()
    {
        using var time = new TimerSignallingTimeProvider();
        var check = new FailingFirst(int.MaxValue);
        var health = HealthChecks(check, prompt: true, time);
        var started = time.GetUtcNow();

        // The clock moves one interval each time the check waits for the next one (and only then), however the check's
        // thread is scheduled: call n happens at (n - 1) intervals.
        var run = health.CheckHealthAsync(TestContext.Current.CancellationToken);
        while (await Task.WhenAny(time.TimerCreated.WaitAsync(TestContext.Current.CancellationToken), run) != run)
        {
            time.Advance(PromptHealthCheckExtensions.PollInterval);
        }

        Assert.Equal(HealthStatus.Unhealthy, (await run).Status);
        Assert.Equal((int)(PromptHealthCheckExtensions.PollFor / PromptHealthCheckExtensions.PollInterval) + 1, check.Calls);
        Assert.Equal(PromptHealthCheckExtensions.PollFor, time.GetUtcNow() - started);
    }

    private static HealthCheckService HealthChecks(IHealthCheck check, bool prompt, TimeProvider? time = null)
    {
        var builder = DistributedApplication.CreateBuilder(["--AppHost:PromptHealthChecks=" + (prompt ? "true" : "false")]);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddHealthChecks().AddCheck("server", check);
        builder.WithPromptHealthChecks();
        return builder.Services.BuildServiceProvider().GetRequiredService<HealthCheckService>();
    }

    /// <summary>A <see cref="FakeTimeProvider"/> that counts the timers created on it (a <c>Task.Delay</c> is one).</summary>
    private sealed class TimerSignallingTimeProvider : FakeTimeProvider, IDisposable
    {
        public SemaphoreSlim TimerCreated { get; } = new(0);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.Release();
            return timer;
        }

        public void Dispose() => TimerCreated.Dispose();
    }

    /// <summary>Fails its first N calls, then passes until told to fail.</summary>
    private sealed class FailingFirst(int failures) : IHealthCheck
    {
        private int _calls;
        private volatile bool _failing;

        public int Calls => _calls;

        public void FailFromNowOn() => _failing = true;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            return Task.FromResult(_failing || call <= failures ? HealthCheckResult.Unhealthy("not yet") : HealthCheckResult.Healthy());
        }
    }
}
