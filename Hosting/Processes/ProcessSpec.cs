namespace Observability.Hosting.Processes;

/// <summary>What to launch for one replica of a resource.</summary>
/// <param name="FileName">The program (a name looked up on PATH, or a full path).</param>
/// <param name="Arguments">Arguments, passed without a shell.</param>
/// <param name="WorkingDirectory">The working directory.</param>
/// <param name="Environment">Variables added to (or, with a null value, removed from) the inherited environment.</param>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>When set and the host runs as root, the process runs as this user (PostgreSQL refuses root).</summary>
    public string? RunAsUser { get; init; }

    /// <summary>The signal that asks the process to stop (SIGTERM; PostgreSQL's fast shutdown is SIGINT).</summary>
    public int StopSignal { get; init; } = NativeMethods.SigTerm;

    /// <summary>Text written to the process's standard input before it is closed (keeps secrets off the command line).</summary>
    public string? StandardInput { get; init; }
}
