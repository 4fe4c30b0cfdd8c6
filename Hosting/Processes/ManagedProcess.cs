using System.Diagnostics;
using Observability.Hosting.Logs;

namespace Observability.Hosting.Processes;

/// <summary>
/// A child process in its own session and process group, its output captured line by line. Stopping signals the
/// whole group politely, then kills it after a grace period, so no grandchild survives.
/// </summary>
internal sealed class ManagedProcess : IResourceInstance
{
    private readonly Process _process;
    private readonly int _stopSignal;

    private ManagedProcess(Process process, int stopSignal, Task<int> exited)
    {
        _process = process;
        _stopSignal = stopSignal;
        Exited = exited;
    }

    public int? ProcessId => _process.Id;

    /// <summary>Completes with the exit code (128 + signal when killed) once the process and its output have ended.</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts the process described by <paramref name="startInfo"/>; must run on the launcher's thread.</summary>
    public static ManagedProcess Start(ProcessStartInfo startInfo, ProcessSpec spec, ResourceLogBuffer log, string instanceId)
    {
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(log, instanceId, isError: false, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, instanceId, isError: true, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (spec.StandardInput is { } input)
            {
                process.StandardInput.Write(input);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited before reading its input; Exited reports it.
        }

        return new ManagedProcess(process, spec.StopSignal, WaitForExitCodeAsync(process));
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (!Exited.IsCompleted)
        {
            NativeMethods.SignalGroup(_process.Id, _stopSignal);
            using var cts = new CancellationTokenSource(grace);
            try
            {
                await Exited.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                NativeMethods.SignalGroup(_process.Id, NativeMethods.SigKill);
            }
        }

        await Exited.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted)
        {
            NativeMethods.SignalGroup(_process.Id, NativeMethods.SigKill);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<int> WaitForExitCodeAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    private static void Append(ResourceLogBuffer log, string instanceId, bool isError, string? line)
    {
        if (line is not null)
        {
            log.Add(instanceId, isError, line);
        }
    }
}
