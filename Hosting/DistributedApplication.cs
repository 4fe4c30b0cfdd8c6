using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Logs;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Testing;

namespace Observability.Hosting;

/// <summary>
/// The running application: every resource started in dependency order, watched, and stopped in reverse order on
/// Ctrl+C / SIGTERM or disposal (as Aspire's type of the same name).
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IReadOnlyList<Resource> _resources;
    private readonly HostingOptions _options;
    private readonly TestingSession? _session;
    private readonly ApplicationOrchestrator _orchestrator;
    private int _disposed;

    internal DistributedApplication(IHost host, IReadOnlyList<Resource> resources, HostingOptions options, TestingSession? session)
    {
        _host = host;
        _resources = resources;
        _options = options;
        _session = session;
        _orchestrator = host.Services.GetRequiredService<ApplicationOrchestrator>();
        ResourceNotifications = host.Services.GetRequiredService<ResourceNotificationService>();
    }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The state of every resource, and waits on it.</summary>
    public ResourceNotificationService ResourceNotifications { get; }

    /// <summary>The resources of the application.</summary>
    public IReadOnlyList<Resource> Resources => _resources;

    internal TimeSpan? AllHealthyAfter => _orchestrator.AllHealthyAfter;

    internal string StateDirectory => _options.StateDirectory;

    /// <summary>Creates a builder; inside <see cref="DistributedApplicationTestingBuilder"/> the test takes over the build.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args) =>
        TestingSession.Current is { } session
            ? new DistributedApplicationBuilder(args, session.AppAssembly, session, session.ConfigurationOverrides)
            : new DistributedApplicationBuilder(args, Assembly.GetEntryAssembly(), session: null, overrides: null);

    /// <summary>Starts every resource (each waits for its dependencies) and returns; resources become healthy later.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    /// <summary>Stops every resource in reverse dependency order.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <summary>Runs until Ctrl+C or SIGTERM, then stops everything. In a test, waits until the test disposes the application.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_session is not null)
        {
            await _session.Disposed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs until Ctrl+C or SIGTERM (the app host's <c>Program.cs</c> ends with <c>builder.Build().Run()</c>).</summary>
    public void Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Stops every replica of a resource (the start command brings it back).</summary>
    public Task StopResourceAsync(string resourceName, CancellationToken cancellationToken = default) =>
        _orchestrator.StopResourceAsync(resourceName, cancellationToken);

    /// <summary>Starts the stopped (or finished, or failed) replicas of a resource again.</summary>
    public void StartResource(string resourceName) => _orchestrator.StartResource(resourceName);

    /// <summary>Stops, then starts, every replica of a resource.</summary>
    public Task RestartResourceAsync(string resourceName, CancellationToken cancellationToken = default) =>
        _orchestrator.RestartResourceAsync(resourceName, cancellationToken);

    /// <summary>The last console lines of a resource (all replicas), oldest first.</summary>
    public IReadOnlyList<LogLine> GetResourceLogs(string resourceName) => _orchestrator.Logs(resourceName).Snapshot();

    /// <summary>The URL of an endpoint of one replica (<c>http</c> for projects, <c>tcp</c> for servers).</summary>
    public Uri GetEndpoint(string resourceName, string? endpointName = null, int replica = 0)
    {
        var resource = Find(resourceName);
        var endpoint = endpointName is null
            ? resource.Endpoints.FirstOrDefault() ?? throw new InvalidOperationException($"Resource '{resourceName}' has no endpoint.")
            : resource.Endpoint(endpointName);
        return endpoint.Url(replica);
    }

    /// <summary>An <see cref="HttpClient"/> whose base address is the resource's HTTP endpoint (replica 0).</summary>
    public HttpClient CreateHttpClient(string resourceName, string? endpointName = null) =>
        new() { BaseAddress = GetEndpoint(resourceName, endpointName ?? "http") };

    /// <summary>The connection string injected as <c>ConnectionStrings__{name}</c>, or null for resources without one.</summary>
    public ValueTask<string?> GetConnectionStringAsync(string resourceName, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Find(resourceName) is IResourceWithConnectionString connection ? connection.GetConnectionString() : null);

    /// <summary>Stops everything, releases the host and, for a test's temporary state, deletes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Run() already stopped and disposed the host.
        }

        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }

        if (_options.EphemeralState && Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }

        _session?.MarkDisposed();
    }

    private Resource Find(string name) =>
        _resources.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"There is no resource named '{name}'.");
}
