using System.Diagnostics;
using System.Text.RegularExpressions;
using Observability.Hosting.Logs;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Tests;

/// <summary>No child outlives the host, even when the host dies without cleaning up.</summary>
[Trait("Category", "Integration")]
public sealed partial class OrphanTests
{
    [Fact]
    public async Task LauncherThreadEnds_ChildIsKilledByTheKernel()
    {
        using var cts = TestApps.Timeout(30);
        var launcher = new ProcessLauncher();
        var log = new ResourceLogBuffer(10, TimeProvider.System);
        var child = await launcher.StartAsync(new ProcessSpec("sleep", ["60"], Path.GetTempPath(), new Dictionary<string, string?>()), log, "sleeper");

        // Ending the launcher's thread is what the host's death does: the parent-death signal fires.
        launcher.Dispose();
        var exitCode = await child.Exited.WaitAsync(cts.Token);

        Assert.Equal(128 + 9, exitCode);
        await child.DisposeAsync();
    }

    [Fact]
    public async Task AppHostKilled_EveryChildProcessEnds()
    {
        using var cts = TestApps.Timeout(45);
        var state = Directory.CreateTempSubdirectory("apphost-killed-").FullName;
        // As root, PostgreSQL runs as 'postgres', which must be able to enter the state directory.
        File.SetUnixFileMode(state, (UnixFileMode)0b111_101_101);
        var startInfo = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
        };
        startInfo.Environment["AppHost__StateDirectory"] = state;
        startInfo.Environment["AppHost__Runtime"] = "local";
        var pids = new HashSet<int>();
        var output = new List<string>();
        var allSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = new Process { StartInfo = startInfo };
        host.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            lock (pids)
            {
                output.Add(line);
                if (ProcessIdPattern().Match(line) is { Success: true } match)
                {
                    pids.Add(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                    if (pids.Count == 6)
                    {
                        allSeen.TrySetResult();
                    }
                }
            }
        };
        host.ErrorDataReceived += (_, e) =>
        {
            lock (pids)
            {
                output.Add(e.Data ?? string.Empty);
            }
        };
        try
        {
            host.Start();
            host.BeginOutputReadLine();
            host.BeginErrorReadLine();
            // cache, postgres, gateway, two workers, websockethub: six processes.
            try
            {
                await allSeen.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                lock (pids)
                {
                    Assert.Fail($"The app host did not report six processes in time:\n{string.Join('\n', output)}");
                }
            }

            Assert.All(pids, pid => Assert.True(TestApps.ProcessExists(pid)));

            host.Kill(); // SIGKILL: the host gets no chance to stop anything itself.
            await host.WaitForExitAsync(cts.Token);

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Empty(await ProcessTree.WaitUntilGoneAsync(pids, deadline.Token));
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }

            Directory.Delete(state, recursive: true);
        }
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex ProcessIdPattern();
}
