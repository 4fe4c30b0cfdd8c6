using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.Versioning;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Processes;

namespace Observability.Infrastructure.Tests;

public sealed class ProcFsTests
{
    [Fact]
    public void CpuSeconds_ThisProcess_MatchesTheRuntimesProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime.TotalSeconds;
        var read = ProcFs.CpuSeconds(Environment.ProcessId);
        self.Refresh();
        var after = self.TotalProcessorTime.TotalSeconds;

        // /proc counts utime and stime in whole clock ticks of 10 ms each; the runtime's reading is finer (getrusage).
        Assert.InRange(read, before - 0.021, after + 0.001);
    }

    [Fact]
    public void Memory_ThisProcess_ResidentIsPositiveAndAtMostItsPeak()
    {
        var (rss, peak) = ProcFs.Memory(Environment.ProcessId);

        Assert.True(rss > 1024 * 1024, $"VmRSS {rss} bytes");
        Assert.True(peak >= rss, $"VmHWM {peak} < VmRSS {rss}");
    }

    [Fact]
    public async Task Child_RunningThenReaped_IsReadThenReadsAsGone()
    {
        var ct = TestContext.Current.CancellationToken;
        var marker = $"300.{Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("sleep", [marker]) { UseShellExecute = false };
        start.Environment["PROCFS_TEST_MARKER"] = marker;
        using var child = Process.Start(start)!;
        try
        {
            Assert.True(ProcFs.IsRunning(child.Id));
            Assert.Equal(Environment.ProcessId, ProcFs.ParentOf(child.Id));
            Assert.Equal((child.Id, $"sleep {marker}"), Assert.Single(ProcFs.WithCommandLineContaining(marker)));
            Assert.Equal(marker, ProcFs.Environment(child.Id)["PROCFS_TEST_MARKER"]);
            Assert.True(ProcFs.TreePssBytes(Environment.ProcessId) > ProcFs.TreePssBytes(child.Id));
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync(ct);
        }

        Assert.False(ProcFs.IsRunning(child.Id));
        Assert.Equal(0.0, ProcFs.CpuSeconds(child.Id));
        Assert.Equal((0L, 0L), ProcFs.Memory(child.Id));
        Assert.Equal(0L, ProcFs.TreePssBytes(child.Id));
        Assert.Empty(ProcFs.WithCommandLineContaining(marker));
    }

    [Theory]
    [InlineData(new[] { "--ignore-signal=INT" }, true)]
    [InlineData(new[] { "--ignore-signal=INT", "env", "--default-signal=INT" }, false)]
    public async Task IgnoresSignal_SigIntIgnoredOrResetBeforeTheProgram_ReadsWhatTheProgramInherited(string[] envArguments, bool ignored)
    {
        var ct = TestContext.Current.CancellationToken;
        var marker = $"300.{Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture)}";
        using var child = Process.Start(new ProcessStartInfo("env", [.. envArguments, "sleep", marker]) { UseShellExecute = false })!;
        try
        {
            // env executes the next program in its place (same pid): read once sleep runs.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(() => ProcFs.WithCommandLineContaining(marker).Any(p => p == (child.Id, $"sleep {marker}")), deadline.Token, "sleep started");

            Assert.Equal(ignored, ProcFs.IgnoresSignal(child.Id, NativeMethods.SigInt));
            Assert.False(ProcFs.IgnoresSignal(child.Id, NativeMethods.SigTerm));
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync(ct);
        }
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task CpuWaitSeconds_TwoBusyLoopsOnOneCpu_GrowsWhileTheyTakeTurns()
    {
        var ct = TestContext.Current.CancellationToken;
        using var self = Process.GetCurrentProcess();
        var cpu = BitOperations.TrailingZeroCount((long)self.ProcessorAffinity).ToString(CultureInfo.InvariantCulture);
        using var first = Process.Start(new ProcessStartInfo("taskset", ["-c", cpu, "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!;
        using var second = Process.Start(new ProcessStartInfo("taskset", ["-c", cpu, "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!;
        try
        {
            // Pinned to one CPU, each runs only while the other waits: both queue for the CPU.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            await Poll.UntilAsync(() => ProcFs.CpuWaitSeconds(first.Id) > 0 && ProcFs.CpuWaitSeconds(second.Id) > 0, deadline.Token, "both waited for the CPU");
        }
        finally
        {
            first.Kill();
            second.Kill();
            await first.WaitForExitAsync(ct);
            await second.WaitForExitAsync(ct);
        }

        Assert.Equal(0.0, ProcFs.CpuWaitSeconds(first.Id));
    }

    [Fact]
    public void MachineCpuSeconds_Read_BusyIsPartOfTotal()
    {
        var (busy, total) = ProcFs.MachineCpuSeconds();

        Assert.InRange(busy, 0, total);
        Assert.True(total > 0);
        Assert.Matches(@"^\d+\.\d\d \d+\.\d\d \d+\.\d\d$", ProcFs.LoadAverage());
    }
}
