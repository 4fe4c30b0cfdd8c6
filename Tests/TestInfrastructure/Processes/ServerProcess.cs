using System.Collections.Concurrent;
using System.Diagnostics;

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

    /// <summary>Polls <paramref name="isReady"/> until it answers true, the process exits, or the timeout passes.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> isReady, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        var interval = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with {_process.ExitCode} before it was ready: {Output}");
            }

            try
            {
                if (await isReady(cts.Token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(interval, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"{what} was not ready within {timeout}: {Output}");
            }

            interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>
    /// Polls <c>GET <paramref name="url"/></c> until it answers 2xx; throws once the process exits or <paramref name="timeout"/>
    /// passes. An attempt that is refused or takes over 5 s (a process busy starting) is retried.
    /// </summary>
    public Task WaitUntilAnswersAsync(Uri url, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
        => WaitUntilReadyAsync(
            async deadline =>
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline, cancellationToken);
                try
                {
                    using var response = await Http.GetAsync(url, attempt.Token).ConfigureAwait(false);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !attempt.IsCancellationRequested))
                {
                    return false;
                }
            },
            timeout,
            what);

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
