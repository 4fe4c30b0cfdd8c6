using System.Globalization;

namespace Observability.LoadTest;

/// <summary>CPU time and memory of processes and of the machine, read from /proc (Linux; fields as numbered in proc(5)).</summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of the /proc CPU counters (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of the process; with <paramref name="withChildren"/>, also of its live children and of the children it reaped (PostgreSQL's backends).</summary>
    public static double CpuSeconds(int pid, bool withChildren)
    {
        if (StatFields(pid) is not { } fields)
        {
            return 0;
        }

        var own = Field(fields, 14) + Field(fields, 15);
        if (!withChildren)
        {
            return own / TicksPerSecond;
        }

        var reaped = Field(fields, 16) + Field(fields, 17);
        return (own + reaped) / TicksPerSecond + ChildrenOf(pid).Sum(child => CpuSeconds(child, withChildren: false));
    }

    /// <summary>
    /// Resident memory in bytes: <c>VmRSS</c> of one process; with <paramref name="withChildren"/> the proportional set size
    /// (<c>Pss</c> of smaps_rollup) of the process and its children, so that PostgreSQL's shared buffers count once.
    /// </summary>
    public static long MemoryBytes(int pid, bool withChildren)
    {
        if (!withChildren)
        {
            return StatusKilobytes(pid, "VmRSS:") * 1024;
        }

        long total = 0;
        foreach (var member in ChildrenOf(pid).Prepend(pid))
        {
            total += RollupKilobytes(member, "Pss:") * 1024;
        }

        return total;
    }

    /// <summary>The machine's busy and total CPU seconds (all cores) from <c>/proc/stat</c>.</summary>
    public static (double Busy, double Total) Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Take(8).Sum();
        return ((total - cpu[3] - cpu[4]) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The 1, 5 and 15 minute load averages.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The first process whose command line contains <paramref name="marker"/> and <paramref name="also"/>.</summary>
    public static int? FindByCommandLine(string marker, string also)
    {
        foreach (var pid in Pids())
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ');
                if (commandLine.Contains(marker, StringComparison.Ordinal) && commandLine.Contains(also, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return null;
    }

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

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (which may hold spaces), or null once it is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Field <paramref name="number"/> of stat as numbered in proc(5) (1 = pid, 3 = state, 14 = utime).</summary>
    private static double Field(string[] afterCommand, int number)
        => double.Parse(afterCommand[number - 3], CultureInfo.InvariantCulture);

    private static long StatusKilobytes(int pid, string key) => Kilobytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status", key);

    private static long RollupKilobytes(int pid, string key) => Kilobytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/smaps_rollup", key);

    private static long Kilobytes(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process ended while we looked.
        }

        return 0;
    }
}
