using Microsoft.AspNetCore.Http.HttpResults;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>
/// <c>GET /api/metrics/{resourceId}</c>: a resource's instruments. <c>GET /api/metrics/{resourceId}/{name}</c>: the
/// instrument's time series in a window (<c>from</c>/<c>to</c>, default the last hour) with one aggregated value each.
/// </summary>
internal static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/metrics");
        group.MapGet("/{resourceId:int}", ListInstruments);
        group.MapGet("/{resourceId:int}/{name}", GetSeries);
        return group;
    }

    public static Results<Ok<List<InstrumentDto>>, NotFound> ListInstruments(int resourceId, ResourceRegistry registry, MetricStore store)
    {
        if (registry.Find(resourceId) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(store.Instruments(resourceId).Select(i => new InstrumentDto(i.Name, i.Description, i.Unit, i.Kind.ToString(),
            i.Temporality.ToString(), i.IsMonotonic, Dtos.Scope(i.Scope), i.SeriesCount)).ToList());
    }

    public static Results<Ok<SeriesResponse>, NotFound, ValidationProblem> GetSeries(
        int resourceId, string name, MetricStore store, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, string? aggregation)
    {
        var aggregate = string.IsNullOrEmpty(aggregation) ? "last" : aggregation;
        if (!SeriesAggregator.Aggregations.Contains(aggregate, StringComparer.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["aggregation"] = [$"aggregation must be one of {string.Join(", ", SeriesAggregator.Aggregations)}."],
            });
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddHours(-1);
        if (start >= end)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["from must be before to."] });
        }

        var fromNano = TracesApi.ToUnixNano(start);
        var toNano = TracesApi.ToUnixNano(end);
        if (store.Series(resourceId, name, fromNano, toNano) is not { } instrument)
        {
            return TypedResults.NotFound();
        }

        var series = instrument.Series.Select(s => new SeriesDto(
            Dtos.Attributes(s.Attributes),
            SeriesAggregator.Aggregate(instrument.Kind, instrument.Temporality, s.Points, aggregate, fromNano, toNano),
            [.. s.Points.Select(ToPoint)],
            s.Points.Sum(p => p.Exemplars.Length))).ToList();
        return TypedResults.Ok(new SeriesResponse(instrument.Name, instrument.Unit, instrument.Kind.ToString(), aggregate, fromNano, toNano, series));
    }

    private static PointDto ToPoint(MetricPoint point) => point switch
    {
        { Histogram: { } h } => new PointDto(point.TimeUnixNano, null, h.Count, h.Sum),
        { Exponential: { } e } => new PointDto(point.TimeUnixNano, null, e.Count, e.Sum),
        { Summary: { } s } => new PointDto(point.TimeUnixNano, null, s.Count, s.Sum),
        _ => new PointDto(point.TimeUnixNano, point.Value, null, null),
    };
}
