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
