using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.RequestLimits;

/// <summary>
/// Refuses a request whose head passes <see cref="RequestLimitsOptions"/> with RFC 7807 problem details: 414 for the
/// request line, 431 for the number or total size of the header fields. <c>errors</c> names what is at fault (the
/// largest query parameter or <c>path</c>; the largest header, or <c>headers</c> for the count) and <c>limit</c> the
/// configuration key. It runs first (<see cref="RequestLimitsStartupFilter"/>), before routing and endpoints.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    /// <summary>A name longer than this (a header or query parameter made to be huge) is reported by its kind instead.</summary>
    private const int MaxNamedLength = 100;

    private readonly RequestLimitsOptions _limits = options.Value;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.PathBase + request.Path + request.QueryString;
        var lineSize = request.Method.Length + 1 + target.Length + 1 + request.Protocol.Length + 2;
        if (lineSize > _limits.MaxRequestLineSize)
        {
            var (part, size) = LargestTargetPart(target);
            return RefuseAsync(
                context,
                StatusCodes.Status414UriTooLong,
                "https://tools.ietf.org/html/rfc9110#section-15.5.15",
                "The request line is too long.",
                $"The request line is {lineSize} bytes; at most {_limits.MaxRequestLineSize} are accepted.",
                nameof(RequestLimitsOptions.MaxRequestLineSize),
                part,
                $"{size} bytes: the largest part of the request target.");
        }

        var count = 0;
        long total = 0;
        var largest = string.Empty;
        long largestSize = 0;
        foreach (var (name, values) in request.Headers)
        {
            long size = 0;
            foreach (var value in values)
            {
                count++;
                size += name.Length + 2 + (value?.Length ?? 0) + 2;
            }

            total += size;
            if (size > largestSize)
            {
                (largest, largestSize) = (name, size);
            }
        }

        if (count > _limits.MaxRequestHeaderCount)
        {
            return RefuseAsync(
                context,
                StatusCodes.Status431RequestHeaderFieldsTooLarge,
                "https://tools.ietf.org/html/rfc6585#section-5",
                "The request has too many header fields.",
                $"The request has {count} header fields; at most {_limits.MaxRequestHeaderCount} are accepted.",
                nameof(RequestLimitsOptions.MaxRequestHeaderCount),
                "headers",
                $"{count} header fields.");
        }

        if (total > _limits.MaxRequestHeadersTotalSize)
        {
            return RefuseAsync(
                context,
                StatusCodes.Status431RequestHeaderFieldsTooLarge,
                "https://tools.ietf.org/html/rfc6585#section-5",
                "The request's header fields are too large.",
                $"The request's header fields total {total} bytes; at most {_limits.MaxRequestHeadersTotalSize} are accepted.",
                nameof(RequestLimitsOptions.MaxRequestHeadersTotalSize),
                largest.Length <= MaxNamedLength ? largest : "headers",
                $"{largestSize} bytes: the largest header field.");
        }

        return next(context);
    }

    /// <summary>The part of a request target with the most bytes: a query parameter (by its decoded name) or the path.</summary>
    internal static (string Part, int Size) LargestTargetPart(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var (part, size) = ("path", question < 0 ? target.Length : question);
        if (question < 0)
        {
            return (part, size);
        }

        foreach (var pair in target.AsSpan(question + 1).Split('&'))
        {
            var parameter = target.AsSpan(question + 1)[pair];
            if (parameter.Length <= size)
            {
                continue;
            }

            var equals = parameter.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            (part, size) = (name.Length is > 0 and <= MaxNamedLength ? name : "query", parameter.Length);
        }

        return (part, size);
    }

    private static Task RefuseAsync(HttpContext context, int status, string type, string title, string detail, string limitKey, string part, string message)
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { [part] = [message] })
        {
            Status = status,
            Type = type,
            Title = title,
            Detail = $"{detail} ({RequestLimitsOptions.SectionName}:{limitKey})",
        };
        problem.Extensions["limit"] = $"{RequestLimitsOptions.SectionName}:{limitKey}";
        return TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
