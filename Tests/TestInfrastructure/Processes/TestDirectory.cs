using System.Globalization;

namespace Observability.TestInfrastructure.Processes;

/// <summary>
/// A temporary directory for one server started by a test run. It records the test process and the server
/// process, so a later run can clean up after a run that was killed before it could clean up itself.
/// </summary>
public sealed class TestDirectory
{
    private const string OwnerFile = "owner.pid";
    private const string ServerFile = "server.pid";
    private static readonly TimeSpan OwnerGracePeriod = TimeSpan.FromMinutes(5);

    private TestDirectory(string path) => Path = path;

    /// <summary>The folder under the system temporary directory that holds every test server's directory.</summary>
    public static string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "observability-tests");

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Creates a new directory named after <paramref name="kind"/> and sweeps leftovers of dead runs.</summary>
    public static TestDirectory Create(string kind)
    {
        SweepStale();
        var path = System.IO.Path.Combine(Root, $"{kind}-{Guid.NewGuid():N}"[..(kind.Length + 13)]);
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new TestDirectory(path);
    }

    /// <summary>
    /// Records the server process (its pid and start time) so that a later sweep can end it if this run dies first,
    /// and only it: a pid alone may name another process by then (pids are reused within minutes on a busy machine).
    /// </summary>
    public void RecordServer(int pid) =>
        File.WriteAllText(System.IO.Path.Combine(Path, ServerFile), string.Create(CultureInfo.InvariantCulture, $"{pid} {ProcFs.StartTicks(pid)}"));

    /// <summary>Deletes the directory (the server must be stopped first).</summary>
    public void Delete()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Ends servers and deletes directories left behind by test runs whose process no longer exists.</summary>
    public static void SweepStale()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var owner = ReadPid(System.IO.Path.Combine(dir, OwnerFile));
            if (owner is { } ownerPid && ProcFs.IsRunning(ownerPid))
            {
                continue;
            }

            // A directory another run has just created but not yet stamped with its owner is not stale: only one
            // left without an owner for minutes (its creator died in between) is.
            if (owner is null && DateTime.UtcNow - Directory.GetCreationTimeUtc(dir) < OwnerGracePeriod)
            {
                continue;
            }

            if (ReadServer(System.IO.Path.Combine(dir, ServerFile)) is var (serverPid, started) && ProcFs.IsRunning(serverPid) && ProcFs.StartTicks(serverPid) == started)
            {
                NativeMethods.Signal(serverPid, NativeMethods.SigKill);
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Another run may be sweeping the same directory; it will be gone either way.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>The pid and start time <see cref="RecordServer"/> wrote, or null.</summary>
    private static (int Pid, long Started)? ReadServer(string file)
    {
        try
        {
            var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
                ? (pid, started)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ReadPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
