using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Observability.Hosting.Logs;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Tests;

/// <summary>No child outlives the host: not after Ctrl+C / SIGTERM, not even when the host is killed outright.</summary>
[Trait("Category", "Integration")]
public sealed partial class OrphanTests
{
    // cache, postgres, gateway, two workers, websockethub.
    private const int AppHostProcesses = 6;

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
        await using var host = await AppHostProcess.StartAsync(AppHostProcesses, cts.Token);

        host.Process.Kill(); // SIGKILL: the host gets no chance to stop anything itself.
        await host.Process.WaitForExitAsync(cts.Token);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Empty(await ProcessTree.WaitUntilGoneAsync(host.ChildProcessIds, deadline.Token));
    }

    [Fact]
    public async Task AppHostTerminated_StopsEveryResourceInReverseOrderAndExitsCleanly()
    {
        using var cts = TestApps.Timeout(45);
        await using var host = await AppHostProcess.StartAsync(AppHostProcesses, cts.Token);
        var residentKilobytes = ResidentKilobytes(host.Process.Id);
        TestContext.Current.SendDiagnosticMessage($"App host resident memory with {AppHostProcesses} child processes: {residentKilobytes / 1024.0:0.0} MB");

        Assert.True(NativeMethods.Signal(host.Process.Id, NativeMethods.SigTerm));
        await host.Process.WaitForExitAsync(cts.Token);

        Assert.Equal(0, host.Process.ExitCode);
        Assert.Empty(ProcessTree.InGroups(host.ChildProcessIds));
        var output = host.Output;
        var stopped = output.Where(line => line.Contains("Exited (pid", StringComparison.Ordinal) || line.Contains("Exited: stopped", StringComparison.Ordinal)).ToList();
        Assert.True(output.FindIndex(l => l.Contains("gateway-", StringComparison.Ordinal) && l.Contains("Exited: stopped", StringComparison.Ordinal))
            < output.FindIndex(l => l.Contains("cache-", StringComparison.Ordinal) && l.Contains("Exited: stopped", StringComparison.Ordinal)), string.Join('\n', output));
        Assert.True(stopped.Count >= AppHostProcesses, string.Join('\n', output));
    }

    private static long ResidentKilobytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The real app host (its build output) as a child process with its own temporary state.</summary>
    private sealed partial class AppHostProcess : IAsyncDisposable
    {
        private readonly List<string> _output = [];
        private readonly HashSet<int> _childProcessIds = [];
        private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string _state;
        private readonly int _expected;

        private AppHostProcess(string state, int expected)
        {
            _state = state;
            _expected = expected;
            var assembly = typeof(Program).Assembly.Location;
            var startInfo = new ProcessStartInfo("dotnet", [assembly])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetDirectoryName(assembly)!,
            };
            startInfo.Environment["AppHost__StateDirectory"] = state;
            startInfo.Environment["AppHost__Runtime"] = "local";
            Process = new Process { StartInfo = startInfo };
            Process.OutputDataReceived += (_, e) => OnLine(e.Data);
            Process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        }

        public Process Process { get; }

        public IReadOnlyCollection<int> ChildProcessIds
        {
            get
            {
                lock (_output)
                {
                    return [.. _childProcessIds];
                }
            }
        }

        public List<string> Output
        {
            get
            {
                lock (_output)
                {
                    return [.. _output];
                }
            }
        }

        public static async Task<AppHostProcess> StartAsync(int expectedProcesses, CancellationToken cancellationToken)
        {
            var state = Directory.CreateTempSubdirectory("apphost-process-").FullName;
            // As root, PostgreSQL runs as 'postgres', which must be able to enter the state directory.
            File.SetUnixFileMode(state, (UnixFileMode)0b111_101_101);
            var host = new AppHostProcess(state, expectedProcesses);
            host.Process.Start();
            host.Process.BeginOutputReadLine();
            host.Process.BeginErrorReadLine();
            try
            {
                await host._allStarted.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await host.DisposeAsync();
                Assert.Fail($"The app host did not report {expectedProcesses} processes in time:\n{string.Join('\n', host.Output)}");
            }

            Assert.All(host.ChildProcessIds, pid => Assert.True(TestApps.ProcessExists(pid)));
            return host;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                await Process.WaitForExitAsync(CancellationToken.None);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ProcessTree.WaitUntilGoneAsync(ChildProcessIds, deadline.Token);
            Process.Dispose();
            Directory.Delete(_state, recursive: true);
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Add(line);
                if (ProcessIdPattern().Match(line) is { Success: true } match)
                {
                    _childProcessIds.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                    if (_childProcessIds.Count == _expected)
                    {
                        _allStarted.TrySetResult();
                    }
                }
            }
        }

        [GeneratedRegex(@"\(pid (\d+)\)")]
        private static partial Regex ProcessIdPattern();
    }
}
