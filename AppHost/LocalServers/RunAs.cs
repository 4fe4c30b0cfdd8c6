namespace Observability.AppHost.LocalServers;

/// <summary>Servers that refuse root (PostgreSQL) run as their own user through <c>setpriv</c>, which execs in place (same pid).</summary>
internal static class RunAs
{
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The command and its leading arguments that run <paramref name="program"/> as <paramref name="user"/> when root.</summary>
    public static (string Command, string[] Prefix) Command(string program, string user) =>
        IsRoot ? ("setpriv", [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", program]) : (program, []);
}
