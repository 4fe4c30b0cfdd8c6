using Microsoft.Extensions.Hosting;
using Observability.Hosting.Containers;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Orchestration;

/// <summary>What every replica shares: settings, the process launcher, the clock, the probe client.</summary>
internal sealed class HostingContext(HostingOptions options, IHostEnvironment environment, TimeProvider timeProvider) : IDisposable
{
    public HostingOptions Options { get; } = options;

    public string EnvironmentName { get; } = environment.EnvironmentName;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ProcessLauncher Launcher { get; } = new();

    public ServerRuntimeSelector Runtimes { get; } = new(options);

    public HttpClient HttpClient { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) });

    /// <summary>A resource's own folder under the state directory (created on first use).</summary>
    public string StateDirectoryFor(string resourceName)
    {
        var directory = Path.Combine(Options.StateDirectory, resourceName);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public void Dispose()
    {
        HttpClient.Dispose();
        Launcher.Dispose();
    }
}
