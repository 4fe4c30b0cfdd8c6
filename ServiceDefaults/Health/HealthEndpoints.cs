using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Health;

/// <summary>Handlers of the probe endpoints and of <c>/status</c>.</summary>
internal static class HealthEndpoints
{
    /// <summary>Writes the probe's overall status as text: 200 when Healthy or Degraded, 503 when Unhealthy.</summary>
    public static async Task WriteProbeAsync(HttpContext context, HealthProbe probe)
    {
        var cache = context.RequestServices.GetRequiredService<HealthReportCache>();
        var report = await cache.GetReportAsync(probe, context.RequestAborted).ConfigureAwait(false);
        PrepareResponse(context.Response, report.Status, "text/plain; charset=utf-8");
        await context.Response.WriteAsync(report.Status.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes the <c>/status</c> JSON document, with the same status code as <c>/health</c>.</summary>
    public static async Task WriteStatusAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var cache = services.GetRequiredService<HealthReportCache>();
        var identity = services.GetRequiredService<ServiceIdentity>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var exposeDetails = services.GetRequiredService<IOptionsMonitor<HealthEndpointsOptions>>().CurrentValue.Status.ExposeDetails;

        var report = await cache.GetReportAsync(HealthProbe.All, context.RequestAborted).ConfigureAwait(false);
        var document = CreateDocument(report, identity, timeProvider.GetUtcNow(), exposeDetails);
        PrepareResponse(context.Response, report.Status, "application/json; charset=utf-8");
        await JsonSerializer.SerializeAsync(context.Response.Body, document, HealthJsonContext.Default.HealthStatusDocument, context.RequestAborted).ConfigureAwait(false);
    }

    internal static HealthStatusDocument CreateDocument(HealthReport report, ServiceIdentity identity, DateTimeOffset now, bool exposeDetails)
    {
        var checks = new List<HealthCheckStatus>(report.Entries.Count);
        foreach (var (name, entry) in report.Entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            checks.Add(exposeDetails
                ? new HealthCheckStatus(
                    name,
                    entry.Status.ToString(),
                    entry.Duration.TotalMilliseconds,
                    entry.Description,
                    entry.Exception?.Message,
                    [.. entry.Tags])
                : new HealthCheckStatus(name, entry.Status.ToString()));
        }

        var uptime = now - identity.StartedAt;
        return new HealthStatusDocument(
            identity.Name,
            identity.Version,
            identity.Environment,
            report.Status.ToString(),
            identity.StartedAt,
            Math.Max(0, uptime.TotalSeconds),
            checks);
    }

    private static void PrepareResponse(HttpResponse response, HealthStatus status, string contentType)
    {
        response.StatusCode = status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.Pragma = "no-cache";
    }
}
