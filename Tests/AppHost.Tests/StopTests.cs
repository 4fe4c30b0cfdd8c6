using System.Diagnostics;
using System.Globalization;
using Observability.TestInfrastructure.Processes;

namespace Observability.AppHost.Tests;

/// <summary>
/// Nothing the AppHost started outlives it, however it is stopped: Ctrl+C (SIGINT), SIGTERM, or SIGKILL (then DCP,
/// which watches the AppHost's pid, stops everything itself).
/// </summary>
[Trait("Category", "Integration")]
public sealed class StopTests
{
    private const string SigInt = "INT";
    private const string SigKill = "KILL";
    private const string SigTerm = "TERM";

    [Fact]
    public Task AppHostInterrupted_CtrlC_LeavesNoProcessBehind() => StopAndAssertNothingLeftAsync(SigInt);

    [Fact]
    public Task AppHostTerminated_SigTerm_LeavesNoProcessBehind() => StopAndAssertNothingLeftAsync(SigTerm);

    [Fact]
    public Task AppHostKilled_SigKill_DcpStopsEveryResource_NoProcessLeftBehind() => StopAndAssertNothingLeftAsync(SigKill);

    private static async Task StopAndAssertNothingLeftAsync(string signal)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var host = AppHostProcess.Start();
        var running = await host.WaitForAllRunningAsync(cts.Token);

        using (var kill = Process.Start("kill", ["-" + signal, host.Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cts.Token);
            Assert.Equal(0, kill.ExitCode);
        }

        await host.Process.WaitForExitAsync(cts.Token);

        // Every process of the run ends: the servers, the services, the dashboard and DCP itself.
        var left = running;
        while (left.Count > 0 && !cts.IsCancellationRequested)
        {
            left = [.. left.Where(p => ProcFs.IsRunning(p.Pid))];
            await Task.Delay(200, CancellationToken.None);
        }

        Assert.True(left.Count == 0, "Still running: " + string.Join("; ", left.Select(p => $"{p.Pid} {p.CommandLine}")));
    }
}
