using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Logs;

namespace Observability.Hosting.Orchestration;

/// <summary>
/// Runs the application model: one runner per replica, all started at once (each waits for its own dependencies),
/// and stopped level by level in reverse dependency order.
/// </summary>
internal sealed class ApplicationOrchestrator : IHostedService
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly Dictionary<string, ResourceLogBuffer> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ReplicaRunner>> _runners = new(StringComparer.Ordinal);
    private readonly ConsoleReporter _reporter;
    private readonly ILogger _logger;
    private bool _started;

    public ApplicationOrchestrator(IReadOnlyList<Resource> resources, HostingContext host, ResourceNotificationService notifications, ILoggerFactory loggerFactory)
    {
        _resources = [.. resources.Where(r => r.IsOrchestrated)];
        _logger = loggerFactory.CreateLogger("Observability.Hosting");
        var outputLogger = loggerFactory.CreateLogger("Observability.Hosting.ResourceOutput");
        foreach (var resource in _resources)
        {
            var log = new ResourceLogBuffer(host.Options.LogCapacity, host.TimeProvider);
            if (host.Options.ShowsLogsOf(resource.Name))
            {
                log.LineAdded += line => Log.ResourceOutput(outputLogger, line.InstanceId, line.Text);
            }

            _logs[resource.Name] = log;
            _runners[resource.Name] = [.. Enumerable.Range(0, resource.Replicas).Select(index =>
                new ReplicaRunner(new ReplicaContext(resource, index, NewSuffix(), host, log), notifications, _logger))];
        }

        _reporter = new ConsoleReporter(_resources, notifications, host.TimeProvider, _logger);
    }

    /// <summary>Time from start to every replica healthy, once that happened.</summary>
    public TimeSpan? AllHealthyAfter => _reporter.AllHealthyAfter;

    public IReadOnlyList<ReplicaRunner> Runners(string resourceName) =>
        _runners.TryGetValue(resourceName, out var runners) ? runners : throw UnknownResource(resourceName);

    public ResourceLogBuffer Logs(string resourceName) =>
        _logs.TryGetValue(resourceName, out var log) ? log : throw UnknownResource(resourceName);

    /// <summary>Stops every replica of a resource (start brings it back).</summary>
    public Task StopResourceAsync(string resourceName, CancellationToken cancellationToken) =>
        Task.WhenAll(Runners(resourceName).Select(r => r.StopAsync(cancellationToken)));

    /// <summary>Starts the stopped, finished or failed replicas of a resource again.</summary>
    public void StartResource(string resourceName)
    {
        foreach (var runner in Runners(resourceName))
        {
            runner.RequestStart();
        }
    }

    /// <summary>Stops, then starts, every replica of a resource.</summary>
    public async Task RestartResourceAsync(string resourceName, CancellationToken cancellationToken)
    {
        await StopResourceAsync(resourceName, cancellationToken).ConfigureAwait(false);
        StartResource(resourceName);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        _reporter.Start();
        foreach (var runner in _runners.Values.SelectMany(r => r))
        {
            runner.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        Log.Stopping(_logger, _resources.Count);
        var depth = DependencyDepth.Of(_resources);
        foreach (var level in _resources.GroupBy(r => depth[r]).OrderByDescending(g => g.Key))
        {
            await Task.WhenAll(level.SelectMany(r => _runners[r.Name]).Select(runner => runner.ShutdownAsync())).ConfigureAwait(false);
        }

        foreach (var runner in _runners.Values.SelectMany(r => r))
        {
            runner.Dispose();
        }
    }

    private static KeyNotFoundException UnknownResource(string name) => new($"There is no resource named '{name}'.");

    private static string NewSuffix() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 5);
}
