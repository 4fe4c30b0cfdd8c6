namespace Observability.AppHost.LocalServers;

/// <summary>
/// Where the local servers keep their data across runs: <c>AppHost:DataDirectory</c>, else per user
/// <c>$XDG_DATA_HOME/{application}</c> or <c>~/.local/share/{application}</c>; as root <c>/var/lib/{application}</c>
/// (PostgreSQL runs as the <c>postgres</c> user then, which cannot enter root's home).
/// </summary>
internal static class LocalDataDirectory
{
    public const string ConfigurationKey = "AppHost:DataDirectory";

    public static string For(IDistributedApplicationBuilder builder, string server)
    {
        var root = builder.Configuration[ConfigurationKey] ?? DefaultRoot(builder.Environment.ApplicationName.ToLowerInvariant());
        var path = Path.Combine(root, server);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string DefaultRoot(string application)
    {
        if (RunAs.IsRoot)
        {
            return Path.Combine("/var/lib", application);
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(
            string.IsNullOrEmpty(dataHome) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : dataHome,
            application);
    }
}
