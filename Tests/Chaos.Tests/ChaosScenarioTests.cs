using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Observability.EndToEnd.Tests.Harness;
using Observability.TestInfrastructure.Processes;
using Observability.Worker.Tests.Llm;

namespace Observability.Chaos.Tests;

/// <summary>
/// Faults under load on the real processes (gateway and workers started from their build output, real redis-server and
/// PostgreSQL on loopback). Each scenario asserts that every accepted run reaches a final status, none is lost and no
/// effect is recorded twice, and reports accepted / completed / lost / duplicated and the seconds from the fault's end
/// until every run accepted before it has finished or started again. Timings are reported, never asserted.
/// </summary>
/// <remarks>One class: the scenarios run one after the other (each loads the whole machine).</remarks>
[Trait("Category", "Chaos")]
public sealed class ChaosScenarioTests(PlatformFixture fixture)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Worker settings of every scenario: as the end-to-end platform (claims after 5 s), more deliveries allowed.</summary>
    private static readonly Dictionary<string, string> Resilient = new(StringComparer.Ordinal)
    {
        ["Workflows__Worker__MaxDeliveries"] = "20",
    };

    [Fact]
    public async Task Workers_SigkilledRepeatedlyUnderLoad_EveryRunFinishesOnce()
    {
        using var timeout = TestTimeout.Start(280);
        var ct = timeout.Token;
        var test = Stopwatch.StartNew();
        // A model slow enough (0.2–0.4 s a call) that every kill lands on runs mid-way.
        await using var platform = await fixture.StartDedicatedAsync(
            new PlatformOptions
            {
                StartHub = false,
                Workers = 3,
                WorkerSettings = With(Resilient, ("Llm__Simulated__MedianLatency", "00:00:00.200"), ("Llm__Simulated__P95Latency", "00:00:00.400")),
            },
            ct);

        Report($"workers-sigkilled: platform up at t={test.Elapsed.TotalSeconds:0.0} s");
        var report = await RunAsync("workers-sigkilled", platform, perSecond: 5, load: TimeSpan.FromSeconds(24), async token =>
        {
            // Each kill takes a random live worker; its replacement starts meanwhile (the platform lists it once up).
            Task replacement = Task.CompletedTask;
            var end = DateTimeOffset.UtcNow;
            for (var kill = 0; kill < 6; kill++)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), token);
                await replacement;
                var alive = platform.Workers.Where(w => !w.HasExited).ToList();
                var victim = alive[kill % alive.Count];
                await victim.KillAsync(token);
                end = DateTimeOffset.UtcNow;
                Report($"workers-sigkilled: kill {kill + 1} of pid {victim.ProcessId} done at t={test.Elapsed.TotalSeconds:0.0} s");
                replacement = ReplaceAsync(kill + 1, token);
            }

            await replacement;
            return end;
        }, ct);

        AssertSound(report, platform);

        async Task ReplaceAsync(int number, CancellationToken token)
        {
            var starting = test.Elapsed;
            var worker = await platform.StartWorkerAsync(null, token);
            var (cpu, waited) = (ProcFs.CpuSeconds(worker.ProcessId), ProcFs.CpuWaitSeconds(worker.ProcessId));
            Report($"workers-sigkilled: replacement {number}, pid {worker.ProcessId}, answered after {(test.Elapsed - starting).TotalSeconds:0.0} s at t={test.Elapsed.TotalSeconds:0.0} s ({cpu:0.0} s of CPU used, {waited:0.0} s waiting for a CPU, load average {ProcFs.LoadAverage()})");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redis_SigkilledAndRestartedUnderLoad_EveryRunFinishesOnce(bool appendOnly)
    {
        using var timeout = TestTimeout.Start(240);
        var ct = timeout.Token;
        await using var platform = await fixture.StartDedicatedAsync(
            new PlatformOptions { Workers = 2, RedisAppendOnly = appendOnly, WorkerSettings = Resilient }, ct);

        var scenario = appendOnly ? "redis-restarted-with-aof" : "redis-restarted-empty";
        var report = await RunAsync(scenario, platform, perSecond: 8, load: TimeSpan.FromSeconds(16), async token =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), token);
            await platform.Redis.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), token);
            await platform.Redis.RestartAsync();
            return DateTimeOffset.UtcNow;
        }, ct);

        AssertSound(report, platform);

        // Every run has ended: a new follower of each is shown its whole stream, or told (truncated, with the run's
        // final state from PostgreSQL) that events were lost; none waits in silence.
        var followers = await Followers.CheckAsync(platform, [.. report.Runs], ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"chaos {scenario} {followers}");
        TestContext.Current.SendDiagnosticMessage($"chaos {scenario} {followers}");
        Assert.True(followers.Silent.Count == 0, $"Followers not told that events were lost: {followers}\n{string.Join('\n', followers.Silent.Take(20))}");
        if (!appendOnly)
        {
            Assert.True(followers.Marked > 0, $"Redis restarted empty, yet no follower was told of lost events: {followers}");
        }
    }

    [Fact]
    public async Task Postgres_RestartedUnderLoad_EveryRunFinishesOnce()
    {
        using var timeout = TestTimeout.Start(240);
        var ct = timeout.Token;
        await using var platform = await fixture.StartDedicatedAsync(new PlatformOptions { StartHub = false, Workers = 2, WorkerSettings = Resilient }, ct);

        var report = await RunAsync("postgres-restarted", platform, perSecond: 8, load: TimeSpan.FromSeconds(16), async token =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), token);
            await fixture.Postgres.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), token);
            await fixture.Postgres.RestartAsync();
            return DateTimeOffset.UtcNow;
        }, ct);

        AssertSound(report, platform);
    }

    [Fact]
    public async Task LlmProvider_Failing429And503AndHanging_EveryRunFinishesOnce()
    {
        using var timeout = TestTimeout.Start(240);
        var ct = timeout.Token;
        var failing = true;
        await using var provider = await ChatCompletionsServer.StartAsync((context, number) => Volatile.Read(ref failing)
            ? (number % 10) switch
            {
                1 or 4 => ChatCompletionsServer.ErrorAsync(context, StatusCodes.Status429TooManyRequests, retryAfter: "1"),
                2 or 7 => ChatCompletionsServer.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable),
                5 => ChatCompletionsServer.HangAsync(context),
                _ => ChatCompletionsServer.CompletionAsync(context),
            }
            : ChatCompletionsServer.CompletionAsync(context), ct);
        await using var platform = await fixture.StartDedicatedAsync(
            new PlatformOptions
            {
                StartHub = false,
                Workers = 2,
                WorkerSettings = With(
                    Resilient,
                    ("Llm__Provider", "OpenAICompatible"),
                    ("Llm__OpenAI__BaseUrl", provider.BaseUrl.ToString()),
                    ("Llm__OpenAI__ApiKey", "chaos-test-key"),
                    ("Llm__Resilience__AttemptTimeout", "00:00:02"),
                    ("Llm__Resilience__BaseDelay", "00:00:00.100")),
            },
            ct);

        var report = await RunAsync("llm-429-503-hang", platform, perSecond: 4, load: TimeSpan.FromSeconds(12), token =>
        {
            // The provider misbehaves for the whole load, then answers again.
            return Task.FromResult(DateTimeOffset.MinValue);
        }, ct, afterLoad: () => Volatile.Write(ref failing, false));

        TestContext.Current.TestOutputHelper?.WriteLine($"provider calls: {provider.Calls.Count}");
        AssertSound(report, platform);
    }

    /// <summary>
    /// Submits at <paramref name="perSecond"/> for <paramref name="load"/> while <paramref name="fault"/> runs (it returns
    /// when the fault ended; <see cref="DateTimeOffset.MinValue"/>: at the end of the load, after <paramref name="afterLoad"/>),
    /// then measures recovery and drain and counts repeats.
    /// </summary>
    private static async Task<ChaosReport> RunAsync(
        string scenario, Platform platform, double perSecond, TimeSpan load, Func<CancellationToken, Task<DateTimeOffset>> fault, CancellationToken cancellationToken,
        Action? afterLoad = null)
    {
        var started = Stopwatch.StartNew();
        var submitter = Submitter.Start(platform.Api, perSecond, cancellationToken);
        var faultEnd = await fault(cancellationToken);
        var remaining = load - started.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            // The load's length, not a wait for a state.
            await Task.Delay(remaining, cancellationToken);
        }

        await submitter.StopAsync();
        afterLoad?.Invoke();
        if (faultEnd == DateTimeOffset.MinValue)
        {
            faultEnd = DateTimeOffset.UtcNow;
        }

        var ledger = new RunLedger(platform.DatabaseConnectionString, platform.Redis.ConnectionString);
        var accepted = submitter.Accepted.Keys.ToList();
        var beforeFaultEnd = submitter.Accepted.Where(a => a.Value < faultEnd).Select(a => a.Key).ToList();
        var drain = Stopwatch.StartNew();
        var recovery = await ledger.WaitForResumedAsync(beforeFaultEnd, faultEnd, DrainTimeout, cancellationToken);
        var statuses = await ledger.WaitForTerminalAsync(accepted, DrainTimeout, cancellationToken);
        var drained = drain.Elapsed.TotalSeconds;
        var (duplicated, repeatedCalls) = await ledger.CountRepeatsAsync(accepted, cancellationToken);
        var completed = statuses.Values.Count(s => s == "Completed");
        var terminal = statuses.Values.Count(s => s is "Completed" or "Failed" or "Cancelled" or "DeadLettered");
        var report = new ChaosReport(
            scenario, accepted.Count, submitter.Refused, completed, terminal - completed, accepted.Count - terminal, duplicated, repeatedCalls, recovery, drained)
        {
            Runs = accepted,
        };
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        TestContext.Current.SendDiagnosticMessage(report.ToString());
        return report;
    }

    private static void AssertSound(ChaosReport report, Platform platform)
    {
        Assert.True(report.Accepted > 0, $"Nothing was accepted: {report}{Environment.NewLine}{platform.Logs}");
        Assert.True(report.Lost == 0, $"Runs did not reach a final status: {report}{Environment.NewLine}{platform.Logs}");
        Assert.True(report.Duplicated == 0, $"Effects were recorded twice: {report}");
    }

    /// <summary>A line of the test output (kept when the test fails), timed in the invariant culture.</summary>
    private static void Report(FormattableString line) =>
        TestContext.Current.TestOutputHelper?.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static Dictionary<string, string> With(Dictionary<string, string> settings, params (string Key, string Value)[] more)
    {
        var all = new Dictionary<string, string>(settings, StringComparer.Ordinal);
        foreach (var (key, value) in more)
        {
            all[key] = value;
        }

        return all;
    }
}
