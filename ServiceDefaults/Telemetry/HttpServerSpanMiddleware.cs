using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Turns the bare ASP.NET Core server span into one that follows the HTTP semantic conventions, and keeps probe
/// paths (<see cref="HealthPaths"/>) out of traces. Runs first in the pipeline, so it sees every request, every
/// exception that escapes the application, and the final status code.
/// </summary>
internal sealed class HttpServerSpanMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            return next(context);
        }

        if (HealthPaths.IsMatch(context.Request.Path))
        {
            // Not recorded and not sampled: dropped by the export processors, and children follow the parent's decision.
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            return next(context);
        }

        if (!activity.IsAllDataRequested)
        {
            return next(context);
        }

        HttpServerSpanEnricher.OnRequest(activity, context);
        return InvokeRecordedAsync(context, activity);
    }

    private async Task InvokeRecordedAsync(HttpContext context, Activity activity)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            HttpServerSpanEnricher.OnResponse(activity, context, exception);
            throw;
        }

        HttpServerSpanEnricher.OnResponse(activity, context, escapedException: null);
    }
}
