using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Observability.TestInfrastructure.Processes;

/// <summary>
/// A real server process started for tests: output captured (for failure messages), readiness polled with a
/// deadline, and a stop that asks politely first and kills after a grace period.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 500;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Action<string>? _onOutputLine;

    private ServerProcess(Process process, Action<string>? onOutputLine)
    {
        _process = process;
        _onOutputLine = onOutputLine;
    }

    /// <summary>The operating-system process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote to stdout and stderr.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts <paramref name="fileName"/> with this process's environment plus <paramref name="environment"/>, less the
    /// <paramref name="notInherited"/> variables; when <paramref name="runAsUser"/> is set and we are root, runs it as that user.
    /// Each line it writes is kept for <see cref="Output"/> and, when given, passed to <paramref name="onOutputLine"/>.
    /// </summary>
    public static ServerProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        string? runAsUser = null,
        IReadOnlyDictionary<string, string>? environment = null,
        IEnumerable<string>? notInherited = null,
        Action<string>? onOutputLine = null)
    {
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        if (runAsUser is not null && NativeMethods.IsRoot)
        {
            // setpriv execs the server in place, so the pid we hold is the server's own pid.
            startInfo.FileName = "setpriv";
            foreach (var arg in (string[])["--reuid", runAsUser, "--regid", runAsUser, "--init-groups", "--", fileName])
            {
                startInfo.ArgumentList.Add(arg);
            }
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var arg in arguments)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var key in notInherited ?? [])
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new ServerProcess(process, onOutputLine);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Runs a command to completion and throws with its output when it fails.</summary>
    public static async Task RunToCompletionAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, string? runAsUser, TimeSpan timeout)
    {
        await using var process = Start(fileName, arguments, workingDirectory, runAsUser);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process._process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{fileName} did not finish within {timeout}: {process.Output}");
        }

        if (process._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited with {process._process.ExitCode}: {process.Output}");
        }
    }

    /// <summary>
    /// Polls <paramref name="isReady"/> until it answers true, the process exits, <paramref name="timeout"/> passes
    /// (<see cref="TimeoutException"/>) or <paramref name="cancellationToken"/> is cancelled (an
    /// <see cref="OperationCanceledException"/> saying how long it waited); each failure carries the process's output.
    /// </summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> isReady, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(timeout);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var interval = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} (pid {Id}) exited with {_process.ExitCode} before it was ready: {Output}");
            }

            try
            {
                if (await isReady(wait.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(interval, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} ({Circumstances()}) was not ready within {timeout}: {Output}");
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"The caller stopped waiting for {what} ({Circumstances()}) after {waited.Elapsed.TotalSeconds:0.0} s of its {timeout.TotalSeconds:0} s to get ready: {Output}"),
                    e,
                    cancellationToken);
            }

            interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>
    /// Polls <c>GET <paramref name="url"/></c> until it answers 2xx; throws once the process exits, <paramref name="timeout"/>
    /// passes or <paramref name="cancellationToken"/> is cancelled (see <see cref="WaitUntilReadyAsync"/>). An attempt that
    /// is refused or takes over 5 s (a process busy starting) is retried.
    /// </summary>
    public Task WaitUntilAnswersAsync(Uri url, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
        => WaitUntilReadyAsync(
            async token =>
            {
                try
                {
                    using var response = await Http.GetAsync(url, token).ConfigureAwait(false);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !token.IsCancellationRequested))
                {
                    return false;
                }
            },
            timeout,
            $"{what} at {url}",
            cancellationToken);

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then kills.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        NativeMethods.Signal(_process.Id, signal);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>The exit code once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Sends a signal (e.g. SIGTERM, as a container platform does on stop).</summary>
    public void Signal(int signal) => NativeMethods.Signal(_process.Id, signal);

    /// <summary>Waits until the process has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(NativeMethods.SigTerm, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>
    /// What tells a process stuck from a process starved of CPU: its id, the CPU it has used, how long its threads waited
    /// for a CPU, the machine's load.
    /// </summary>
    private string Circumstances() => string.Create(
        CultureInfo.InvariantCulture,
        $"pid {Id}, {ProcFs.CpuSeconds(Id):0.0} s of CPU used, {ProcFs.CpuWaitSeconds(Id):0.0} s waiting for a CPU (its threads' sum), load average {ProcFs.LoadAverage()}");

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _onOutputLine?.Invoke(line);
        _output.Enqueue(line);
        while (_output.Count > MaxOutputLines && _output.TryDequeue(out _))
        {
        }
    }
}
