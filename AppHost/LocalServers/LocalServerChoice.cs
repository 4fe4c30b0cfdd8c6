using System.Diagnostics;

namespace Observability.AppHost.LocalServers;

/// <summary>
/// Decides, once at start, whether Redis and PostgreSQL run as Aspire's containers or from the machine's own binaries.
/// <c>AppHost:Servers</c> = <c>container</c>, <c>local</c> or <c>auto</c> (default): with <c>auto</c> the local binaries
/// are used when no container engine answers <c>info</c> within two seconds (the engine Aspire would use:
/// <c>ASPIRE_CONTAINER_RUNTIME</c>, else docker, else podman). Publishing always describes containers.
/// </summary>
internal static class LocalServerChoice
{
    public const string ConfigurationKey = "AppHost:Servers";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static bool UseLocalServers(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return false;
        }

        var configured = builder.Configuration[ConfigurationKey] ?? "auto";
        return configured.ToUpperInvariant() switch
        {
            "LOCAL" => true,
            "CONTAINER" => false,
            "AUTO" => !ContainerEngineAnswers(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? builder.Configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"]),
            _ => throw new InvalidOperationException($"{ConfigurationKey} must be 'auto', 'local' or 'container', not '{configured}'."),
        };
    }

    private static bool ContainerEngineAnswers(string? preferred)
    {
        string[] engines = preferred is { Length: > 0 } ? [preferred] : ["docker", "podman"];
        return engines.Any(Answers);
    }

    /// <summary>True when <c>{engine} info</c> exits 0 in time: the client alone (no daemon) exits non-zero.</summary>
    private static bool Answers(string engine)
    {
        var start = new ProcessStartInfo(engine, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
