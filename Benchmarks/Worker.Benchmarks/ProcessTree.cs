using System.Globalization;

namespace Observability.Worker.Benchmarks;

/// <summary>CPU seconds used by a server: its process and every child (PostgreSQL's backends), read from /proc.</summary>
internal static class ProcessTree
{
    /// <summary>The process whose command line mentions <paramref name="marker"/> (say, a data directory), or null.</summary>
    public static int? FindByCommandLine(string marker)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(marker, StringComparison.Ordinal) && !commandLine.Contains("Benchmarks", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process exited meanwhile.
            }
        }

        return null;
    }

    /// <summary>User + system CPU seconds of <paramref name="root"/> and its live children.</summary>
    public static double CpuSeconds(int root)
    {
        double total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == root || parent == root)
                {
                    total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                }
            }
            catch (IOException)
            {
                // The process exited meanwhile.
            }
        }

        return total;
    }
}
