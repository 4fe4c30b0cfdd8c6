using System.Globalization;

namespace Observability.Hosting.Tests;

/// <summary>Reads /proc: which processes are still in a process group (a server's children included).</summary>
internal static class ProcessTree
{
    public static IReadOnlyList<int> InGroups(IReadOnlyCollection<int> groups)
    {
        var members = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && groups.Contains(int.Parse(fields[2], CultureInfo.InvariantCulture)))
                {
                    members.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return members;
    }

    /// <summary>Polls until no process of <paramref name="groups"/> is left or the token ends; returns what is left.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(IReadOnlyCollection<int> groups, CancellationToken cancellationToken)
    {
        while (true)
        {
            var left = InGroups(groups);
            if (left.Count == 0 || cancellationToken.IsCancellationRequested)
            {
                return left;
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}
