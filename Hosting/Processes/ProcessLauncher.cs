using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.Hosting.Logs;

namespace Observability.Hosting.Processes;

/// <summary>
/// Starts every child process from one dedicated thread that lives as long as the host. Each child is wrapped in
/// <c>setpriv --pdeathsig KILL</c> (the kernel kills it when that thread, hence the host, dies: no orphan even after
/// SIGKILL of the host) and <c>setsid</c> (its own session and process group, so Ctrl+C in the terminal reaches only
/// the host, which then stops children in order). Both exec in place: the pid we hold is the program's own.
/// </summary>
internal sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo StartInfo, ProcessSpec Spec, ResourceLogBuffer Log, string InstanceId, TaskCompletionSource<ManagedProcess> Started)> _requests = [];
    private readonly Thread _thread;
    private readonly string? _setpriv = ExecutableFinder.Find("setpriv");
    private readonly string? _setsid = ExecutableFinder.Find("setsid");

    public ProcessLauncher()
    {
        // The parent-death signal fires when the thread that forked the child exits: this thread must outlive them.
        _thread = new Thread(Run) { IsBackground = true, Name = "Process launcher" };
        _thread.Start();
    }

    public Task<ManagedProcess> StartAsync(ProcessSpec spec, ResourceLogBuffer log, string instanceId)
    {
        var started = new TaskCompletionSource<ManagedProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((BuildStartInfo(spec), spec, log, instanceId, started));
        return started.Task;
    }

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join();
        _requests.Dispose();
    }

    internal ProcessStartInfo BuildStartInfo(ProcessSpec spec)
    {
        var startInfo = new ProcessStartInfo
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var command = new List<string>();
        if (_setpriv is not null)
        {
            command.AddRange([_setpriv, "--pdeathsig", "KILL"]);
            if (spec.RunAsUser is { } user && NativeMethods.IsRoot)
            {
                command.AddRange(["--reuid", user, "--regid", user, "--init-groups"]);
            }

            command.Add("--");
        }

        if (_setsid is not null)
        {
            command.AddRange([_setsid, "--"]);
        }

        command.Add(ExecutableFinder.Find(spec.FileName)
            ?? throw new FileNotFoundException($"'{spec.FileName}' was not found on PATH.", spec.FileName));
        command.AddRange(spec.Arguments);

        startInfo.FileName = command[0];
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    private void Run()
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            try
            {
                request.Started.SetResult(ManagedProcess.Start(request.StartInfo, request.Spec, request.Log, request.InstanceId));
            }
#pragma warning disable CA1031 // Any failure to start belongs to the caller, not to this thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                request.Started.SetException(e);
            }
        }
    }
}
