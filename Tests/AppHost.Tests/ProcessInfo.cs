using System.Globalization;

namespace Observability.AppHost.Tests;

/// <summary>What /proc says about processes: parents, command lines, whether one still runs.</summary>
internal static class ProcessInfo
{
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}") && !IsZombie(pid);

    /// <summary>The parent's pid (field 4 of /proc/{pid}/stat, after the parenthesised command).</summary>
    public static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Every live process whose command line contains <paramref name="text"/>, as (pid, command line).</summary>
    public static List<(int Pid, string CommandLine)> WithCommandLineContaining(string text)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                if (commandLine.Contains(text, StringComparison.Ordinal) && !IsZombie(pid))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (IOException)
            {
                // Ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[stat.LastIndexOf(')')..].StartsWith(") Z", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
