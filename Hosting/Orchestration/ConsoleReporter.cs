using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Dashboard;

namespace Observability.Hosting.Orchestration;

/// <summary>Prints the dashboard's login link and every resource's endpoints at start, then each state change, then the time to all healthy.</summary>
internal sealed class ConsoleReporter(IReadOnlyList<Resource> resources, ResourceNotificationService notifications, TimeProvider timeProvider, ILogger logger)
{
    private long _startedAt;
    private int _reportedAllHealthy;

    public TimeSpan? AllHealthyAfter { get; private set; }

    public void Start()
    {
        if (resources.OfType<DashboardResource>().FirstOrDefault() is { } dashboard)
        {
            Log.DashboardLogin(logger, dashboard.LoginUrl);
        }

        foreach (var resource in resources)
        {
            var connection = resource is IResourceWithConnectionString ? " (connection string: ConnectionStrings__" + resource.Name + ")" : string.Empty;
            var endpoints = resource.Endpoints.SelectMany(e => Enumerable.Range(0, resource.Replicas).Select(i => e.Url(i).ToString().TrimEnd('/'))).ToList();
            Log.ResourceEndpoint(logger, resource.Name, (endpoints.Count == 0 ? "(no endpoint)" : string.Join(" ", endpoints)) + connection);
        }

        _startedAt = timeProvider.GetTimestamp();
        notifications.Changed += OnChanged;
    }

    private void OnChanged(ResourceSnapshot snapshot)
    {
        var details = (snapshot.ProcessId is { } pid ? $" (pid {pid})" : string.Empty) + (snapshot.Reason is null ? string.Empty : $": {snapshot.Reason}");

        Log.StateChanged(logger, snapshot.InstanceId, snapshot.State, details);
        if (snapshot.IsHealthy && _reportedAllHealthy == 0)
        {
            var all = notifications.GetAll();
            if (all.All(s => s.IsHealthy) && Interlocked.Exchange(ref _reportedAllHealthy, 1) == 0)
            {
                AllHealthyAfter = timeProvider.GetElapsedTime(_startedAt);
                using var self = Process.GetCurrentProcess();
                Log.AllHealthy(logger, all.Count, AllHealthyAfter.Value.TotalSeconds, self.WorkingSet64 / 1024.0 / 1024.0);
            }
        }
    }
}
