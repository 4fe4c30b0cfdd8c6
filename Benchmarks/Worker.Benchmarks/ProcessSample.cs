using System.Globalization;

namespace Observability.Worker.Benchmarks;

/// <summary>CPU time of one process and of the whole machine, and the process's memory, read from /proc.</summary>
internal sealed record ProcessSample(double ProcessCpuSeconds, double MachineBusySeconds, double MachineTotalSeconds, long RssBytes, long PeakRssBytes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static ProcessSample Read(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // Fields after the command: state is [0], utime is field 14 of the full line -> [11], stime [12].
        var cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
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

        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = machine.Take(8).Sum() / TicksPerSecond;
        var idle = (machine[3] + machine[4]) / TicksPerSecond;
        return new ProcessSample(cpu, total - idle, total, rss, peak);
    }

    private static long Kilobytes(string line)
        => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
