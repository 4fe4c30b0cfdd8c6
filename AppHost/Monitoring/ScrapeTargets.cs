using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Observability.AppHost.Monitoring;

/// <summary>
/// Prometheus' file-based discovery for this run (the <c>targets/</c> tree monitoring/prometheus/prometheus.yml reads):
/// Prometheus and Alertmanager themselves, the Alertmanager to alert, the exporters, and every running replica of every
/// scraped resource, kept current as replicas start, stop and restart. Under DCP each replica listens on its own port
/// behind the resource's proxy: the replica's port is read from the <c>ASPNETCORE_URLS</c> DCP resolved for it, so
/// every replica is scraped, not the proxy (which would reach one replica at random).
/// </summary>
internal static class ScrapeTargets
{
    private const string FileName = "apphost.json";

    /// <summary>
    /// Writes the targets that do not come and go: Prometheus, Alertmanager (also as the alerting target) and the
    /// exporters, once their endpoints are allocated.
    /// </summary>
    public static async Task WriteFixedTargetsAsync(IMonitoringServerResource prometheus, CancellationToken cancellationToken)
    {
        var infrastructure = new List<(string Job, string[] Targets)>();
        foreach (var annotation in prometheus.Annotations.OfType<ExporterTargetAnnotation>())
        {
            var endpoint = new EndpointReference(annotation.Exporter, ExporterBuilderExtensions.EndpointName);
            var port = await endpoint.Property(EndpointProperty.Port).GetValueAsync(cancellationToken).ConfigureAwait(false);
            infrastructure.Add((annotation.Job, [$"{prometheus.HostName}:{port}"]));
        }

        var self = await SelfTargetAsync(prometheus, cancellationToken).ConfigureAwait(false);
        var monitoring = new List<(string Job, string[] Targets)> { ("prometheus", [self]) };
        var alerting = new List<(string Job, string[] Targets)>();
        foreach (var annotation in prometheus.Annotations.OfType<AlertmanagerAnnotation>())
        {
            var port = await annotation.Alertmanager.PrimaryEndpoint.Property(EndpointProperty.Port).GetValueAsync(cancellationToken).ConfigureAwait(false);
            string[] target = [$"{prometheus.HostName}:{port}"];
            monitoring.Add(("alertmanager", target));
            alerting.Add(("alertmanager", target));
        }

        Write(prometheus, "infrastructure", infrastructure);
        Write(prometheus, "monitoring", monitoring);
        Write(prometheus, "alertmanager", alerting);
    }

    /// <summary>Follows every replica of the scraped resources for as long as the application runs.</summary>
    public static async Task FollowServicesAsync(IMonitoringServerResource prometheus, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        var scraped = prometheus.Annotations.OfType<ScrapeTargetAnnotation>().Select(a => a.Resource).ToHashSet();
        var replicas = new SortedDictionary<string, (string Job, string Target)>(StringComparer.Ordinal);
        try
        {
            var written = Write(prometheus, "services", []);
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!scraped.Contains(update.Resource))
                {
                    continue;
                }

                if (update.Snapshot.State?.Text == KnownResourceStates.Running && PortOf(update.Snapshot) is { } port)
                {
                    replicas[update.ResourceId] = (update.Resource.Name, $"{prometheus.HostName}:{port.ToString(CultureInfo.InvariantCulture)}");
                }
                else
                {
                    replicas.Remove(update.ResourceId);
                }

                var groups = replicas.Values.GroupBy(r => r.Job, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => (g.Key, g.Select(r => r.Target).Order(StringComparer.Ordinal).ToArray())).ToList();
                var json = Serialize(groups);
                if (json != written)
                {
                    Write(prometheus, "services", groups);
                    written = json;
                    MonitoringLog.TargetsChanged(logger, string.Join(", ", replicas.Select(r => $"{r.Key} {r.Value.Target}")));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application is stopping.
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            MonitoringLog.TargetsNotWritten(logger, exception);
        }
    }

    /// <summary>The port of the replica's first http URL in the <c>ASPNETCORE_URLS</c> DCP resolved for it.</summary>
    private static int? PortOf(CustomResourceSnapshot snapshot) =>
        snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value?
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp ? uri.Port : (int?)null)
            .FirstOrDefault(port => port is > 0);

    /// <summary>Prometheus scrapes itself on the port it listens on: the proxied one as an executable, 9090 in its container.</summary>
    private static async Task<string> SelfTargetAsync(IMonitoringServerResource prometheus, CancellationToken cancellationToken)
    {
        if (prometheus is ContainerResource)
        {
            return $"localhost:{PrometheusBuilderExtensions.ContainerPort.ToString(CultureInfo.InvariantCulture)}";
        }

        return $"localhost:{await prometheus.PrimaryEndpoint.Property(EndpointProperty.Port).GetValueAsync(cancellationToken).ConfigureAwait(false)}";
    }

    private static string Write(IMonitoringServerResource prometheus, string folder, IReadOnlyList<(string Job, string[] Targets)> groups)
    {
        var json = Serialize(groups);
        var directory = Path.Combine(prometheus.ConfigurationDirectory, "targets", folder);
        Directory.CreateDirectory(directory);
        MonitoringFiles.WriteAtomically(Path.Combine(directory, FileName), json);
        return json;
    }

    /// <summary><c>[{"targets": ["host:port", ...], "labels": {"job": "worker"}}, ...]</c>, Prometheus' file_sd format.</summary>
    private static string Serialize(IReadOnlyList<(string Job, string[] Targets)> groups)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var (job, targets) in groups)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("targets");
                foreach (var target in targets)
                {
                    writer.WriteStringValue(target);
                }

                writer.WriteEndArray();
                writer.WriteStartObject("labels");
                writer.WriteString("job", job);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
