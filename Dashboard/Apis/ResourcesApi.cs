using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>
/// <c>GET /api/resources</c>: every resource with its counts, and what was dropped. <c>DELETE /api/resources/{id}</c>
/// and <c>DELETE /api/resources</c> clear one resource's telemetry or all of it, in memory and on disk.
/// </summary>
internal static class ResourcesApi
{
    public static RouteGroupBuilder MapResourcesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/resources");
        group.MapGet("/", ListResources);
        group.MapDelete("/", ClearAll);
        group.MapDelete("/{id:int}", ClearResource);
        return group;
    }

    public static Ok<ResourcesResponse> ListResources(
        ResourceRegistry registry, TraceStore traces, LogStore logs, MetricStore metrics, DropCounters drops, TelemetryJournal journal,
        IOptions<FrontendOptions> frontend)
    {
        var traceCounts = traces.CountByOwner();
        var logCounts = logs.CountByResource();
        var seriesCounts = metrics.SeriesCountByResource();
        var resources = registry.All().Select(r => new ResourceDto(r.Id, r.DisplayName, r.ServiceName, r.InstanceId, Dtos.Attributes(r.Attributes),
            traceCounts.GetValueOrDefault(r.Id), logCounts.GetValueOrDefault(r.Id), seriesCounts.GetValueOrDefault(r.Id))).ToList();
        var dropped = new DropsDto(drops.RejectedItems, drops.TruncatedValues, drops.EvictedTraces, drops.EvictedSpans,
            drops.DroppedSpansOverTraceCap, drops.EvictedLogs, drops.EvictedMetricPoints, drops.DroppedMetricPoints, drops.DroppedForResourceCap,
            drops.DuplicateSpans, journal.WriteFailures);
        return TypedResults.Ok(new ResourcesResponse(resources, dropped, journal.SizeBytes(), frontend.Value.AuthMode == FrontendAuthMode.Unsecured));
    }

    public static NoContent ClearAll(OtlpIngestor ingestor)
    {
        ingestor.Clear(null);
        return TypedResults.NoContent();
    }

    public static Results<NoContent, NotFound> ClearResource(int id, ResourceRegistry registry, OtlpIngestor ingestor)
    {
        if (registry.Find(id) is not { } resource)
        {
            return TypedResults.NotFound();
        }

        ingestor.Clear(resource);
        return TypedResults.NoContent();
    }
}
