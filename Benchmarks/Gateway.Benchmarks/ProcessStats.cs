using System.Globalization;

namespace Observability.Gateway.Benchmarks;

/// <summary>CPU time and memory of processes and of the machine, read from /proc (Linux).</summary>
internal static class ProcessStats
{
    /// <summary>Clock ticks per second of the /proc CPU counters (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU seconds the process has used so far; 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? 0 : (Field(fields, 14) + Field(fields, 15)) / TicksPerSecond;
    }

    /// <summary>CPU seconds used by the children this process has waited for (cutime + cstime), such as a finished wrk.</summary>
    public static double WaitedChildrenCpuSeconds()
    {
        var fields = StatFields(Environment.ProcessId)!;
        return (Field(fields, 16) + Field(fields, 17)) / TicksPerSecond;
    }

    /// <summary>CPU seconds of the process and all its children now running (PostgreSQL: postmaster and backends).</summary>
    public static double TreeCpuSeconds(int pid)
        => CpuSeconds(pid) + ChildrenOf(pid).Sum(CpuSeconds);

    /// <summary>Resident memory (<c>VmRSS</c>) and its peak (<c>VmHWM</c>) in bytes.</summary>
    public static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    /// <summary>The machine's busy and total CPU ticks (all cores) from <c>/proc/stat</c>.</summary>
    public static (double Busy, double Total) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        var total = cpu.Take(8).Sum();
        return (total - idle, total);
    }

    /// <summary>The first process whose command line contains every one of <paramref name="parts"/>.</summary>
    public static int? FindProcess(params string[] parts)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (parts.All(part => commandLine.Contains(part, StringComparison.Ordinal)))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return null;
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StatFields(pid) is { } fields && (int)Field(fields, 4) == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (which may hold spaces), or null.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
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

    private static long Kilobytes(string line)
        => 1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
