using System.Runtime.InteropServices;

namespace Observability.TestInfrastructure.Processes;

/// <summary>The few POSIX calls the fixtures need.</summary>
public static class NativeMethods
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigQuit = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; one call does not justify it.
    private static extern int SysKill(int pid, int signal);
#pragma warning restore SYSLIB1054

    [DllImport("libc", EntryPoint = "geteuid")]
#pragma warning disable SYSLIB1054
    private static extern uint SysGetEuid();
#pragma warning restore SYSLIB1054

    public static bool Signal(int pid, int signal) => SysKill(pid, signal) == 0;

    public static bool IsRoot => SysGetEuid() == 0;
}
