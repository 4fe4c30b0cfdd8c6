using System.Runtime.InteropServices;

namespace Observability.Hosting.Processes;

/// <summary>The few POSIX calls .NET does not expose: signals to a process group, and the effective user.</summary>
internal static class NativeMethods
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int NoSuchProcess = 3;

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; two calls do not justify it.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint SysGetEuid();
#pragma warning restore SYSLIB1054

    public static bool IsRoot => OperatingSystem.IsLinux() && SysGetEuid() == 0;

    /// <summary>Signals the whole process group led by <paramref name="pid"/>; falls back to the process alone.</summary>
    public static void SignalGroup(int pid, int signal)
    {
        if (SysKill(-pid, signal) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess)
        {
            _ = SysKill(pid, signal);
        }
    }

    /// <summary>Signals one process.</summary>
    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>True while a process with this id exists (zombies included).</summary>
    public static bool Exists(int pid) => SysKill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != NoSuchProcess;
}
