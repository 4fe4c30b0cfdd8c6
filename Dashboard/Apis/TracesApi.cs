using Microsoft.AspNetCore.Http.HttpResults;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary><c>GET /api/traces</c> (filtered, paged list) and <c>GET /api/traces/{traceId}</c> (one trace as a span tree).</summary>
internal static class TracesApi
{
    public static RouteGroupBuilder MapTracesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/traces");
        group.MapGet("/", ListTraces);
        group.MapGet("/{traceId}", GetTrace);
        return group;
    }

    public static Results<Ok<TraceListResponse>, ValidationProblem> ListTraces(
        TraceStore store,
        string? service,
        string? spanName,
        string? status,
        double? minDurationMs,
        string? attribute,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? offset,
        int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        bool? hasError = status switch
        {
            null or "" => null,
            "error" => true,
            "ok" => false,
            _ => Invalid(errors, "status", "status must be 'error' or 'ok'."),
        };
        string? key = null, value = null;
        if (attribute is not null)
        {
            var separator = attribute.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                errors["attribute"] = ["attribute must read key=value."];
            }
            else
            {
                key = attribute[..separator];
                value = attribute[(separator + 1)..];
            }
        }

        if (limit is < 1 or > 1_000)
        {
            errors["limit"] = ["limit must be between 1 and 1000."];
        }

        if (offset is < 0)
        {
            errors["offset"] = ["offset must not be negative."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (page, total) = store.Query(new TraceQuery
        {
            Service = NullIfEmpty(service),
            SpanName = NullIfEmpty(spanName),
            HasError = hasError,
            MinDuration = minDurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            AttributeKey = key,
            AttributeValue = value,
            FromUnixNano = from is { } f ? ToUnixNano(f) : null,
            ToUnixNano = to is { } t ? ToUnixNano(t) : null,
            Offset = offset ?? 0,
            Limit = limit ?? 50,
        });
        var items = page.Select(t => new TraceSummaryDto(t.TraceId.ToString(), t.RootName, t.RootService, Dtos.Time(t.StartUnixNano),
            t.StartUnixNano, Dtos.Milliseconds(t.DurationNano), t.SpanCount, t.HasError, t.Services)).ToList();
        return TypedResults.Ok(new TraceListResponse(total, items));
    }

    public static Results<Ok<TraceDto>, NotFound, ValidationProblem> GetTrace(TraceStore store, string traceId)
    {
        if (!TraceId.TryParse(traceId, out var id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["traceId"] = ["traceId must be 32 hexadecimal digits."] });
        }

        var spans = store.Get(id);
        if (spans is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(SpanTree.Build(id, spans));
    }

    internal static long ToUnixNano(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static bool? Invalid(Dictionary<string, string[]> errors, string key, string message)
    {
        errors[key] = [message];
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
