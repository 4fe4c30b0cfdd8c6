using System.Diagnostics;
using System.Globalization;
using Observability.TestInfrastructure.Processes;

namespace Observability.Infrastructure.Tests;

public sealed class TestDirectoryTests
{
    [Fact]
    public async Task SweepStale_OwnerDead_KillsServerAndDeletesDirectory()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TestDirectory.Create("sweep");
        using var orphan = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        directory.RecordServer(orphan.Id);
        File.WriteAllText(Path.Combine(directory.Path, "owner.pid"), (await DeadPidAsync(ct)).ToString(CultureInfo.InvariantCulture));

        TestDirectory.SweepStale();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await orphan.WaitForExitAsync(timeout.Token);
        Assert.False(Directory.Exists(directory.Path));
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("{0} 1")]
    public async Task SweepStale_ServerPidNowNamesAnotherProcess_LeavesThatProcessAlone(string record)
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TestDirectory.Create("reused");
        using var bystander = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;

        // The recorded server has ended and its pid now names another process: a record without the start time (which
        // cannot tell them apart), or with another start time.
        File.WriteAllText(Path.Combine(directory.Path, "server.pid"), string.Format(CultureInfo.InvariantCulture, record, bystander.Id));
        File.WriteAllText(Path.Combine(directory.Path, "owner.pid"), (await DeadPidAsync(ct)).ToString(CultureInfo.InvariantCulture));

        TestDirectory.SweepStale();

        // Ended here with SIGTERM (exit 128 + 15), not by the sweep's SIGKILL (128 + 9).
        NativeMethods.Signal(bystander.Id, NativeMethods.SigTerm);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await bystander.WaitForExitAsync(timeout.Token);
        Assert.Equal(128 + NativeMethods.SigTerm, bystander.ExitCode);
        Assert.False(Directory.Exists(directory.Path));
    }

    [Fact]
    public void SweepStale_OwnerAlive_KeepsDirectory()
    {
        var directory = TestDirectory.Create("keep");
        try
        {
            TestDirectory.SweepStale();

            Assert.True(Directory.Exists(directory.Path));
        }
        finally
        {
            directory.Delete();
        }
    }

    private static async Task<int> DeadPidAsync(CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync(ct);
        return process.Id;
    }
}
