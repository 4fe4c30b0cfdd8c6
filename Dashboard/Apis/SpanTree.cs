using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>Orders a trace's spans depth-first under their parents (iteratively: no recursion limit on deep traces).</summary>
internal static class SpanTree
{
    public static TraceDto Build(TraceId traceId, List<SpanRecord> spans)
    {
        var byId = new Dictionary<ulong, SpanRecord>(spans.Count);
        foreach (var span in spans)
        {
            byId.TryAdd(span.SpanId, span);
        }

        var children = new Dictionary<ulong, List<SpanRecord>>();
        var roots = new List<SpanRecord>();
        foreach (var span in spans)
        {
            if (span.ParentSpanId != 0 && span.ParentSpanId != span.SpanId && byId.ContainsKey(span.ParentSpanId))
            {
                if (!children.TryGetValue(span.ParentSpanId, out var list))
                {
                    list = [];
                    children.Add(span.ParentSpanId, list);
                }

                list.Add(span);
            }
            else
            {
                roots.Add(span);
            }
        }

        var ordered = new List<SpanNodeDto>(spans.Count);
        var visited = new HashSet<SpanRecord>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(SpanRecord Span, int Depth)>();
        foreach (var root in roots.OrderByDescending(s => s.StartUnixNano))
        {
            stack.Push((root, 0));
        }

        while (stack.Count > 0)
        {
            var (span, depth) = stack.Pop();
            if (!visited.Add(span))
            {
                continue;
            }

            var kids = children.TryGetValue(span.SpanId, out var list) ? list.OrderBy(s => s.StartUnixNano).ToList() : [];
            ordered.Add(ToDto(span, depth, kids));
            for (var i = kids.Count - 1; i >= 0; i--)
            {
                stack.Push((kids[i], depth + 1));
            }
        }

        var start = spans.Min(s => s.StartUnixNano);
        var end = spans.Max(s => s.EndUnixNano);
        return new TraceDto(traceId.ToString(), spans.Count, Dtos.Milliseconds(Math.Max(0, end - start)),
            spans.Any(s => s.Status == SpanStatusCode.Error), ordered);
    }

    private static SpanNodeDto ToDto(SpanRecord span, int depth, List<SpanRecord> children) => new(
        SpanIds.ToHex(span.SpanId)!,
        SpanIds.ToHex(span.ParentSpanId),
        depth,
        [.. children.Select(c => SpanIds.ToHex(c.SpanId)!)],
        span.Name,
        span.Kind.ToString(),
        span.Resource.ServiceName,
        span.Resource.Id,
        Dtos.Scope(span.Scope),
        span.StartUnixNano,
        span.EndUnixNano,
        Dtos.Milliseconds(span.DurationNano),
        span.Status.ToString(),
        span.StatusMessage,
        Dtos.Attributes(span.Attributes),
        [.. span.Events.Select(e => new SpanEventDto(e.Name, e.TimeUnixNano, Dtos.Attributes(e.Attributes)))],
        [.. span.Links.Select(l => new SpanLinkDto(l.TraceId.ToString(), SpanIds.ToHex(l.SpanId), l.TraceState, Dtos.Attributes(l.Attributes)))],
        span.DroppedCount);
}
