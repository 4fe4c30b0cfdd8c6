using System.Globalization;

namespace Observability.TestInfrastructure.Processes;

/// <summary>
/// What Linux's /proc says about processes and the machine: CPU time (utime + stime), memory (RSS, PSS), parents,
/// command lines and environments. Fields are numbered as in proc(5). A process that ended meanwhile reads as 0.
/// </summary>
public static class ProcFs
{
    /// <summary>Clock ticks per second of the /proc CPU counters (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    private static readonly string[] ResidentKeys = ["VmRSS:", "VmHWM:"];
    private static readonly string[] ProportionalKey = ["Pss:"];

    /// <summary>True while the process exists and is not a zombie (ended, not yet reaped).</summary>
    public static bool IsRunning(int pid) => StatFields(pid) is { } fields && fields[0] != "Z";

    /// <summary>
    /// True when the process ignores <paramref name="signal"/> (its bit in the <c>SigIgn</c> mask of <c>/proc/PID/status</c>):
    /// a signal ignored when a program starts stays ignored unless the program installs a handler of its own.
    /// </summary>
    public static bool IgnoresSignal(int pid, int signal)
    {
        var mask = File.ReadLines($"/proc/{Id(pid)}/status").First(line => line.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim();
        return ((ulong.Parse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture) >> (signal - 1)) & 1) == 1;
    }

    /// <summary>The parent's pid (field 4 of stat); throws <see cref="IOException"/> once the process is gone.</summary>
    public static int ParentOf(int pid)
        => (int)Field(StatFields(pid) ?? throw new IOException($"Process {Id(pid)} is gone."), 4);

    /// <summary>When the process started, in clock ticks since boot (field 22 of stat): with the pid, it names one process; null once it is gone.</summary>
    public static long? StartTicks(int pid) => StatFields(pid) is { } fields ? (long)Field(fields, 22) : null;

    /// <summary>User + system CPU seconds the process has used so far (utime + stime); 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
        => StatFields(pid) is { } fields ? (Field(fields, 14) + Field(fields, 15)) / TicksPerSecond : 0;

    /// <summary>
    /// Seconds the process's threads now alive have spent runnable but waiting for a CPU (the run queue delay, field 2
    /// of each <c>/proc/PID/task/TID/schedstat</c>), summed over the threads: how long the machine held it back. 0 once it is gone.
    /// </summary>
    public static double CpuWaitSeconds(int pid)
    {
        var nanoseconds = 0L;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Id(pid)}/task"))
            {
                try
                {
                    nanoseconds += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended while we looked.
                }
            }
        }
        catch (IOException)
        {
            // The process ended while we looked.
        }

        return nanoseconds / 1e9;
    }

    /// <summary>CPU seconds of the children the process has waited for (cutime + cstime), such as a finished wrk.</summary>
    public static double ReapedChildrenCpuSeconds(int pid)
        => StatFields(pid) is { } fields ? (Field(fields, 16) + Field(fields, 17)) / TicksPerSecond : 0;

    /// <summary>CPU seconds of the process and its children now running (PostgreSQL: postmaster and backends).</summary>
    public static double TreeCpuSeconds(int pid) => CpuSeconds(pid) + ChildrenOf(pid).Sum(CpuSeconds);

    /// <summary>Resident memory (<c>VmRSS</c>) and its peak (<c>VmHWM</c>) in bytes; 0 once the process is gone.</summary>
    public static (long Rss, long Peak) Memory(int pid)
    {
        var values = Kilobytes($"/proc/{Id(pid)}/status", ResidentKeys);
        return (values[0] * 1024, values[1] * 1024);
    }

    /// <summary>
    /// The proportional set size (<c>Pss</c> of smaps_rollup) of the process and its children in bytes, so that
    /// memory they share (PostgreSQL's shared buffers) counts once.
    /// </summary>
    public static long TreePssBytes(int pid)
        => ChildrenOf(pid).Prepend(pid).Sum(member => Kilobytes($"/proc/{Id(member)}/smaps_rollup", ProportionalKey)[0] * 1024);

    /// <summary>The machine's busy and total CPU seconds (all cores) from <c>/proc/stat</c>; idle is idle + iowait.</summary>
    public static (double Busy, double Total) MachineCpuSeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Take(8).Sum();
        return ((total - cpu[3] - cpu[4]) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The 1, 5 and 15 minute load averages, as <c>"0.52 0.58 0.59"</c>.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>Every running process but this one whose command line contains <paramref name="text"/>, as (pid, command line).</summary>
    public static List<(int Pid, string CommandLine)> WithCommandLineContaining(string text)
    {
        var found = new List<(int, string)>();
        foreach (var pid in Pids().Where(pid => pid != System.Environment.ProcessId))
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{Id(pid)}/cmdline").Replace('\0', ' ').Trim();
                if (commandLine.Contains(text, StringComparison.Ordinal) && IsRunning(pid))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Ended while being read, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>The environment the process started with (<c>/proc/PID/environ</c>); the last of repeated names wins.</summary>
    public static Dictionary<string, string> Environment(int pid)
        => File.ReadAllText($"/proc/{Id(pid)}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);

    private static IEnumerable<int> Pids()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
        => Pids().Where(pid => StatFields(pid) is { } fields && (int)Field(fields, 4) == parent);

    /// <summary>The fields of <c>/proc/PID/stat</c> from field 3 (state) on, after the command name (which may hold spaces), or null once it is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id(pid)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Field <paramref name="number"/> of stat as numbered in proc(5) (1 = pid, 3 = state, 4 = ppid, 14 = utime).</summary>
    private static double Field(string[] fromState, int number) => double.Parse(fromState[number - 3], CultureInfo.InvariantCulture);

    /// <summary>The values of the <paramref name="keys"/> lines of a /proc file in kB (status, smaps_rollup); 0 for what cannot be read.</summary>
    private static long[] Kilobytes(string path, string[] keys)
    {
        var values = new long[keys.Length];
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var index = Array.FindIndex(keys, key => line.StartsWith(key, StringComparison.Ordinal));
                if (index >= 0)
                {
                    values[index] = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
        }

        return values;
    }

    private static string Id(int pid) => pid.ToString(CultureInfo.InvariantCulture);
}
