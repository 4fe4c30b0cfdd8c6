using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Sets the HTTP server semantic-convention attributes, name and status on the ASP.NET Core span. ASP.NET Core adds
/// none of these keys itself, so tags are appended (<see cref="Activity.AddTag(string, object?)"/>) rather than
/// searched and replaced.
/// </summary>
internal static class HttpServerSpanEnricher
{
    public static void OnRequest(Activity activity, HttpContext context)
    {
        var request = context.Request;
        var method = HttpSemantics.NormalizeMethod(request.Method);
        activity.AddTag("http.request.method", method);
        if (ReferenceEquals(method, HttpSemantics.OtherMethod))
        {
            activity.AddTag("http.request.method_original", request.Method);
        }

        activity.AddTag("url.scheme", request.Scheme);
        activity.AddTag("url.path", request.PathBase.HasValue ? (request.PathBase + request.Path).Value : request.Path.Value);
        if (request.QueryString.HasValue && request.QueryString.Value!.Length > 1)
        {
            activity.AddTag("url.query", QueryRedactor.Redact(request.QueryString.Value.AsSpan(1)));
        }

        if (request.Host.HasValue)
        {
            activity.AddTag("server.address", request.Host.Host);
            activity.AddTag("server.port", HttpSemantics.Box(request.Host.Port ?? HttpSemantics.DefaultPort(request.Scheme)));
        }

        if (context.Connection.RemoteIpAddress is { } client)
        {
            activity.AddTag("client.address", client.ToString());
        }

        if (request.Headers.UserAgent is { Count: > 0 } userAgent)
        {
            activity.AddTag("user_agent.original", userAgent.ToString());
        }

        activity.AddTag("network.protocol.version", HttpSemantics.ProtocolVersion(request.Protocol));
    }

    /// <param name="activity">The server span.</param>
    /// <param name="context">The request.</param>
    /// <param name="escapedException">An exception that escaped the whole pipeline; the server then answers 500.</param>
    public static void OnResponse(Activity activity, HttpContext context, Exception? escapedException)
    {
        var response = context.Response;
        var status = escapedException is not null && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        activity.AddTag("http.response.status_code", HttpSemantics.Box(status));

        string? route = null;
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } rawRoute })
        {
            route = HttpSemantics.NormalizeRoute(rawRoute);
            activity.AddTag("http.route", route);
        }

        activity.DisplayName = HttpSemantics.SpanName(HttpSemantics.NormalizeMethod(context.Request.Method), route);

        // An exception the application handled (UseExceptionHandler) still explains the 500 it produced.
        var exception = escapedException ?? context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is not null)
        {
            activity.AddException(exception);
            activity.AddTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
        }
        else if (status >= StatusCodes.Status500InternalServerError)
        {
            activity.AddTag("error.type", HttpSemantics.StatusText(status));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
