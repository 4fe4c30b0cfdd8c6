namespace Observability.Hosting.Processes;

/// <summary>The <c>dotnet</c> muxer that launches built projects: the one running us when we run under it, else PATH's.</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Resolve();

    private static string Resolve()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } processPath && System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        return ExecutableFinder.Find("dotnet") ?? "dotnet";
    }
}
