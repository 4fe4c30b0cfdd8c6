using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Observability.TestInfrastructure.Polling;

namespace Observability.AppHost.Tests;

/// <summary>
/// With <c>AppHost:Monitoring=true</c> (on in <see cref="AppHostFixture"/>): the machine's Prometheus and Alertmanager run
/// as resources, healthy, with their UIs as resource URLs; Prometheus scrapes every replica of every service (each on
/// its own port, not the proxy's) and the Redis and PostgreSQL exporters (connected to this run's servers), and sends
/// its alerts to the Alertmanager of this run.
/// </summary>
[Trait("Category", "Integration")]
[Collection(WholeApplication.Name)]
public sealed class MonitoringTests(AppHostFixture fixture)
{
    private static readonly string[] Services = ["gateway", "worker", "websockethub"];

    [Fact]
    public async Task AppHost_WithMonitoring_PrometheusScrapesEveryReplicaAndExporterUp_AndAlertsThisRunsAlertmanager()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var app = fixture.App;
        foreach (var (name, links) in new[] { ("prometheus", (string[])["Prometheus", "Scrape targets", "Alert rules"]), ("alertmanager", ["Alertmanager"]) })
        {
            var resource = await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
            Assert.Equal("Running", resource.Snapshot.State?.Text);
            var urls = resource.Snapshot.Urls.Where(url => url.Url.StartsWith("http://", StringComparison.Ordinal)).Select(url => url.DisplayProperties.DisplayName);
            Assert.Equal(links.Order(StringComparer.Ordinal), urls.Order(StringComparer.Ordinal));
        }

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var expected = Services.ToDictionary(name => name, name => model.Resources.Single(r => r.Name == name).GetReplicaCount());
        expected["redis"] = 1;
        expected["postgres"] = 1;
        Assert.Equal(2, expected["worker"]);
        using var prometheus = app.CreateHttpClient("prometheus", "http");

        // As many distinct targets per job as the resource has replicas, every one up.
        var targets = await Poll.UntilAsync(
            ct => TargetsAsync(prometheus, ct),
            found => expected.All(job => found.Count(t => t.Job == job.Key && t.Health == "up") == job.Value && found.Count(t => t.Job == job.Key) == job.Value),
            cts.Token,
            found => string.Join("; ", found ?? []));
        var workers = targets.Where(t => t.Job == "worker").Select(t => t.Instance).ToList();
        Assert.Equal(workers.Count, workers.Distinct(StringComparer.Ordinal).Count());
        var proxy = ":" + app.GetEndpoint("worker", "http").Port.ToString(CultureInfo.InvariantCulture);
        Assert.DoesNotContain(workers, instance => instance.EndsWith(proxy, StringComparison.Ordinal));

        // The exporters reach the servers with this run's credentials.
        foreach (var up in (string[])["redis_up", "pg_up"])
        {
            await Poll.UntilAsync(ct => QueryAsync(prometheus, up, ct), value => value == "1", cts.Token, value => $"{up} = {value ?? "no series"}");
        }

        // Prometheus discovered this run's Alertmanager and sends to it.
        var alertmanager = app.GetEndpoint("alertmanager", "http");
        var active = await Poll.UntilAsync(
            ct => ActiveAlertmanagersAsync(prometheus, ct),
            urls => urls.Any(url => url.Port == alertmanager.Port),
            cts.Token,
            urls => string.Join(", ", urls ?? []));
        Assert.Contains(active, url => url.Port == alertmanager.Port && url.AbsolutePath == "/api/v2/alerts");
        using var alertmanagerClient = app.CreateHttpClient("alertmanager", "http");
        using var status = await alertmanagerClient.GetAsync("/api/v2/status", cts.Token);
        Assert.True(status.IsSuccessStatusCode, $"alertmanager /api/v2/status answered {(int)status.StatusCode}");
    }

    /// <summary>The active targets of the services' and exporters' scrape pools.</summary>
    private static async Task<IReadOnlyList<(string Job, string Instance, string Health)>> TargetsAsync(HttpClient prometheus, CancellationToken cancellationToken)
    {
        var answer = await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=active", cancellationToken);
        return [.. answer.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Where(t => t.GetProperty("scrapePool").GetString() is "services" or "infrastructure")
            .Select(t => (t.GetProperty("labels").GetProperty("job").GetString()!, t.GetProperty("labels").GetProperty("instance").GetString()!, t.GetProperty("health").GetString()!))];
    }

    /// <summary>The value of a one-series instant query, or null while it has no series.</summary>
    private static async Task<string?> QueryAsync(HttpClient prometheus, string expr, CancellationToken cancellationToken)
    {
        var answer = await prometheus.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(expr)}", cancellationToken);
        var result = answer.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString() : null;
    }

    private static async Task<IReadOnlyList<Uri>> ActiveAlertmanagersAsync(HttpClient prometheus, CancellationToken cancellationToken)
    {
        var answer = await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/alertmanagers", cancellationToken);
        return [.. answer.GetProperty("data").GetProperty("activeAlertmanagers").EnumerateArray().Select(a => new Uri(a.GetProperty("url").GetString()!))];
    }
}
