using System.Globalization;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Testing;

namespace Observability.Hosting.Tests;

/// <summary>Test models built from the test service (a hosted project of this test assembly).</summary>
internal static class TestApps
{
    public const string TestServicePath = "../Hosting.TestService/Hosting.TestService.csproj";

    /// <summary>An empty model with local binaries and a fast restart backoff; <paramref name="args"/> add configuration.</summary>
    public static DistributedApplicationBuilder CreateBuilder(params string[] args) =>
        DistributedApplicationTestingBuilder.Create(
            typeof(TestApps).Assembly,
            ["--AppHost:Runtime=local", "--AppHost:RestartBackoff=00:00:00.2", "--AppHost:StopTimeout=00:00:05", .. args]);

    public static IResourceBuilder<ProjectResource> AddTestService(this DistributedApplicationBuilder builder, string name) =>
        builder.AddProject(name, TestServicePath).WithHttpHealthCheck("/health");

    /// <summary>A token that ends the test after <paramref name="seconds"/> so no await hangs.</summary>
    public static CancellationTokenSource Timeout(int seconds = 60)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts;
    }

    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Every process id the application ran (as the notification service last saw them).</summary>
    public static IReadOnlyList<int> ProcessIds(DistributedApplication app) =>
        [.. app.ResourceNotifications.GetAll().Where(s => s.ProcessId is not null).Select(s => s.ProcessId!.Value)];

    /// <summary>
    /// Waits until every replica of each named resource is healthy; on time-out, fails with every resource's state,
    /// reason, restarts and the last lines of output of those not healthy, so a failure on CI explains itself.
    /// </summary>
    public static async Task WaitAllHealthyAsync(DistributedApplication app, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var name in names)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var report = new System.Text.StringBuilder("Not every resource became healthy in time:");
            foreach (var snapshot in app.ResourceNotifications.GetAll().OrderBy(s => s.ResourceName))
            {
                report.Append(CultureInfo.InvariantCulture, $"\n  {snapshot.InstanceId}: {snapshot.State} ({snapshot.Reason}), restarts {snapshot.RestartCount}, exit {snapshot.ExitCode}");
                if (!snapshot.IsHealthy)
                {
                    foreach (var line in app.GetResourceLogs(snapshot.ResourceName).TakeLast(15))
                    {
                        report.Append(CultureInfo.InvariantCulture, $"\n    | {line.Text}");
                    }
                }
            }

            throw new TimeoutException(report.ToString());
        }
    }

    public static ResourceSnapshot Single(DistributedApplication app, string name) => app.ResourceNotifications.GetReplicas(name).Single();
}
