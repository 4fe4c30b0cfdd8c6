using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>
/// Chooses the correlation ID of a request: the caller's <see cref="CorrelationId.HeaderName"/> when valid, else the
/// <see cref="CorrelationId.BaggageKey"/> baggage entry the caller propagated, else a new one. It becomes baggage of
/// the server span (so HttpClient calls carry it in the W3C <c>baggage</c> header), an attribute of that span, and the
/// response header.
/// </summary>
internal sealed partial class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    private const string BaggageHeader = "baggage";

    public Task InvokeAsync(HttpContext context)
    {
        var activity = Activity.Current;
        Activity? owned = null;
        if (activity is null)
        {
            // No listener created a server span: carry the baggage on an activity of our own for this request.
            owned = activity = new Activity(CorrelationId.BaggageKey).Start();
        }

        var id = Choose(context.Request, activity);
        activity.SetBaggage(CorrelationId.BaggageKey, id);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(CorrelationId.BaggageKey, id);
        }

        context.Response.OnStarting(
            static state =>
            {
                var (response, value) = ((HttpResponse, string))state;
                response.Headers[CorrelationId.HeaderName] = value;
                return Task.CompletedTask;
            },
            (context.Response, id));

        return owned is null ? next(context) : InvokeOwningAsync(context, owned);
    }

    private async Task InvokeOwningAsync(HttpContext context, Activity owned)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            owned.Stop();
        }
    }

    private string Choose(HttpRequest request, Activity activity)
    {
        if (request.Headers.TryGetValue(CorrelationId.HeaderName, out var header))
        {
            if (header.Count == 1 && CorrelationId.IsValid(header[0]))
            {
                return header[0]!;
            }

            var replacement = CorrelationId.New();
            LogReplaced(logger, CorrelationId.HeaderName, replacement);
            return replacement;
        }

        // ASP.NET Core extracts baggage only when a traceparent came too; read the header as a fallback.
        var fromBaggage = activity.GetBaggageItem(CorrelationId.BaggageKey) ?? FromBaggageHeader(request.Headers);
        if (fromBaggage is null)
        {
            return CorrelationId.New();
        }

        if (CorrelationId.IsValid(fromBaggage))
        {
            return fromBaggage;
        }

        var generated = CorrelationId.New();
        LogReplaced(logger, BaggageHeader, generated);
        return generated;
    }

    private static string? FromBaggageHeader(IHeaderDictionary headers)
    {
        if (!headers.ContainsKey(BaggageHeader))
        {
            return null;
        }

        var baggage = DistributedContextPropagator.Current.ExtractBaggage(
            headers,
            static (carrier, name, out value, out values) =>
            {
                values = null;
                value = ((IHeaderDictionary)carrier!)[name] is { Count: > 0 } found ? (string?)found : null;
            });
        return baggage?.FirstOrDefault(pair => pair.Key == CorrelationId.BaggageKey).Value;
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "The correlation ID in {Source} is not 1-128 characters of [A-Za-z0-9._-]; replaced by {CorrelationId}")]
    private static partial void LogReplaced(ILogger logger, string source, string correlationId);
}
