using Microsoft.Extensions.Hosting;
using Observability.Hosting.Containers;
using Observability.Hosting.Dashboard;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Orchestration;

/// <summary>What every replica shares: settings, the dashboard, the process launcher, the clock, the probe client.</summary>
internal sealed class HostingContext(HostingOptions options, IHostEnvironment environment, TimeProvider timeProvider, DashboardResource? dashboard = null) : IDisposable
{
    /// <summary>The application's dashboard, which every other resource exports to; null when there is none.</summary>
    public DashboardResource? Dashboard { get; } = dashboard;

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
