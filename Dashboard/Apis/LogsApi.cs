using Microsoft.AspNetCore.Http.HttpResults;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary><c>GET /api/logs</c>: structured logs, newest first, filtered by level, text, resource, trace and attribute.</summary>
internal static class LogsApi
{
    public static RouteGroupBuilder MapLogsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/logs");
        group.MapGet("/", ListLogs);
        return group;
    }

    public static Results<Ok<LogListResponse>, ValidationProblem> ListLogs(
        LogStore store,
        int? minSeverity,
        string? text,
        int? resource,
        string? service,
        string? traceId,
        string? attribute,
        long? after,
        int? offset,
        int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        TraceId? trace = null;
        if (!string.IsNullOrEmpty(traceId))
        {
            if (TraceId.TryParse(traceId, out var parsed))
            {
                trace = parsed;
            }
            else
            {
                errors["traceId"] = ["traceId must be 32 hexadecimal digits."];
            }
        }

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

        if (minSeverity is < 0 or > 24)
        {
            errors["minSeverity"] = ["minSeverity must be an OTLP severity number between 0 and 24."];
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

        var (page, total) = store.Query(new LogQuery
        {
            MinSeverity = minSeverity,
            Text = string.IsNullOrEmpty(text) ? null : text,
            ResourceId = resource,
            Service = string.IsNullOrEmpty(service) ? null : service,
            TraceId = trace,
            AttributeKey = key,
            AttributeValue = value,
            AfterSequence = after,
            Offset = offset ?? 0,
            Limit = limit ?? 100,
        });
        return TypedResults.Ok(new LogListResponse(total, [.. page.Select(Dtos.Log)]));
    }
}
