using System.Diagnostics;
using System.Globalization;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Processes;

namespace Observability.AppHost.Tests;

/// <summary>
/// Nothing the AppHost started outlives it, however it is stopped: Ctrl+C (SIGINT), SIGTERM, or SIGKILL (then DCP,
/// which watches the AppHost's pid, stops everything itself).
/// </summary>
/// <remarks>
/// Start-up and stop have budgets of their own, so a slow start on a loaded machine does not eat the stop's, and a
/// failure says which of the two did not finish (with the AppHost's output).
/// </remarks>
[Trait("Category", "Integration")]
public sealed class StopTests
{
    private const string SigInt = "INT";
    private const string SigKill = "KILL";
    private const string SigTerm = "TERM";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public Task AppHostInterrupted_CtrlC_LeavesNoProcessBehind() => StopAndAssertNothingLeftAsync(SigInt);

    [Fact]
    public Task AppHostTerminated_SigTerm_LeavesNoProcessBehind() => StopAndAssertNothingLeftAsync(SigTerm);

    [Fact]
    public Task AppHostKilled_SigKill_DcpStopsEveryResource_NoProcessLeftBehind() => StopAndAssertNothingLeftAsync(SigKill);

    private static async Task StopAndAssertNothingLeftAsync(string signal)
    {
        await using var host = AppHostProcess.Start();
        List<(int Pid, string CommandLine)> running;
        using (var starting = new CancellationTokenSource(StartTimeout))
        {
            running = await host.WaitForAllRunningAsync(starting.Token);
        }

        // As from a terminal: Ctrl+C must be able to reach it (see AppHostProcess on an inherited ignored SIGINT).
        Assert.False(ProcFs.IgnoresSignal(host.Process.Id, NativeMethods.SigInt), "The AppHost ignores SIGINT: Ctrl+C cannot stop it.");

        using var stopping = new CancellationTokenSource(StopTimeout);
        using (var kill = Process.Start("kill", ["-" + signal, host.Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(stopping.Token);
            Assert.Equal(0, kill.ExitCode);
        }

        try
        {
            await host.Process.WaitForExitAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Assert.Fail($"The AppHost did not exit within {StopTimeout} of SIG{signal}. Its output:\n{host.Output}");
        }

        // Every process of the run ends: the servers, the services, the dashboard and DCP itself.
        await Poll.UntilAsync(
            _ => Task.FromResult(running.Where(p => ProcFs.IsRunning(p.Pid)).ToList()),
            left => left.Count == 0,
            stopping.Token,
            left => "still running: " + string.Join("; ", (left ?? running).Select(p => $"{p.Pid} {p.CommandLine}")));
    }
}
