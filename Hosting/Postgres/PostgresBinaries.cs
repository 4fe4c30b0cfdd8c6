namespace Observability.Hosting.Postgres;

/// <summary>Finds PostgreSQL's programs: <c>PG_BIN</c> when set, else the newest <c>/usr/lib/postgresql/N/bin</c> (Debian), else PATH.</summary>
internal static class PostgresBinaries
{
    public static string? Find(string name)
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            var path = Path.Combine(configured, name);
            return File.Exists(path) ? path : null;
        }

        const string Debian = "/usr/lib/postgresql";
        var newest = Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(dir => (Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0, Path: Path.Combine(dir, "bin", name)))
                .Where(candidate => File.Exists(candidate.Path))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Path)
                .FirstOrDefault()
            : null;
        return newest ?? Processes.ExecutableFinder.Find(name);
    }
}
