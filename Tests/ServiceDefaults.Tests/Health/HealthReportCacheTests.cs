using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Observability.ServiceDefaults.Health;

namespace Observability.ServiceDefaults.Tests.Health;

public sealed class HealthReportCacheTests
{
    private static (IHost Host, HealthReportCache Cache) Create(FakeTimeProvider time, CountingHealthCheck check, string[] tags, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddDefaultHealthChecks();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddHealthChecks().AddCheck("dependency", check, tags: tags);
        var host = builder.Build();
        return (host, host.Services.GetRequiredService<HealthReportCache>());
    }

    [Fact]
    public async Task GetReportAsync_ConcurrentCallersDuringEvaluation_ShareOneEvaluation()
    {
        var ct = TestContext.Current.CancellationToken;
        var check = new CountingHealthCheck { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (host, cache) = Create(new FakeTimeProvider(), check, [HealthTags.Ready]);
        using var _ = host;

        var first = cache.GetReportAsync(HealthProbe.Ready, ct);
        await check.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var others = Enumerable.Range(0, 20).Select(_ => cache.GetReportAsync(HealthProbe.Ready, ct)).ToList();
        check.Gate.SetResult();
        var reports = await Task.WhenAll(others.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(1, check.Runs);
        Assert.All(reports, report => Assert.Same(reports[0], report));
        Assert.Equal(HealthStatus.Healthy, reports[0].Status);
    }

    [Fact]
    public async Task GetReportAsync_WithinCacheWindow_ReusesReportAndReevaluatesAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var check = new CountingHealthCheck();
        var (host, cache) = Create(time, check, [HealthTags.Ready]);
        using var _ = host;

        var first = await cache.GetReportAsync(HealthProbe.Ready, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        check.Result = HealthCheckResult.Unhealthy("down");
        time.Advance(TimeSpan.FromMilliseconds(999));
        var cached = await cache.GetReportAsync(HealthProbe.Ready, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var fresh = await cache.GetReportAsync(HealthProbe.Ready, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Same(first, cached);
        Assert.Equal(HealthStatus.Healthy, cached.Status);
        Assert.Equal(HealthStatus.Unhealthy, fresh.Status);
        Assert.Equal(2, check.Runs);
    }

    [Fact]
    public async Task GetReportAsync_ZeroCacheDuration_EvaluatesEveryCall()
    {
        var ct = TestContext.Current.CancellationToken;
        var check = new CountingHealthCheck();
        var (host, cache) = Create(new FakeTimeProvider(), check, [HealthTags.Ready], new() { ["HealthChecks:CacheDuration"] = "00:00:00" });
        using var _ = host;

        for (var i = 0; i < 3; i++)
        {
            await cache.GetReportAsync(HealthProbe.Ready, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        }

        Assert.Equal(3, check.Runs);
    }

    [Fact]
    public async Task GetReportAsync_FirstCallerCancels_EvaluationCompletesForTheOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        var check = new CountingHealthCheck { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (host, cache) = Create(new FakeTimeProvider(), check, [HealthTags.Ready]);
        using var _ = host;
        using var impatient = new CancellationTokenSource();

        var cancelled = cache.GetReportAsync(HealthProbe.Ready, impatient.Token);
        await check.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var patient = cache.GetReportAsync(HealthProbe.Ready, ct);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        check.Gate.SetResult();
        var report = await patient.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1, check.Runs);
    }

    [Theory]
    [InlineData(nameof(HealthProbe.Live), new[] { "self" })]
    [InlineData(nameof(HealthProbe.Ready), new[] { "dependency" })]
    [InlineData(nameof(HealthProbe.All), new[] { "dependency", "self" })]
    public async Task GetReportAsync_Probe_RunsOnlyItsTaggedChecks(string probeName, string[] expected)
    {
        var probe = Enum.Parse<HealthProbe>(probeName);
        var ct = TestContext.Current.CancellationToken;
        var (host, cache) = Create(new FakeTimeProvider(), new CountingHealthCheck(), [HealthTags.Ready]);
        using var _ = host;

        var report = await cache.GetReportAsync(probe, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(expected, report.Entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetReportAsync_CheckExceedsCheckTimeout_ReportsUnhealthyInsteadOfHanging()
    {
        var ct = TestContext.Current.CancellationToken;
        var hanging = new CountingHealthCheck { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (host, cache) = Create(new FakeTimeProvider(), hanging, [HealthTags.Ready], new() { ["HealthChecks:CheckTimeout"] = "00:00:00.050" });
        using var _ = host;

        var report = await cache.GetReportAsync(HealthProbe.Ready, ct).WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["dependency"].Status);
    }
}
