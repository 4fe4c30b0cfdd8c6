namespace Observability.Hosting.Processes;

/// <summary>Finds a command on a search path, as a shell would.</summary>
internal static class ExecutableFinder
{
    /// <summary>The full path of <paramref name="name"/> on <paramref name="searchPath"/> (default: PATH), or null.</summary>
    public static string? Find(string name, string? searchPath = null)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
