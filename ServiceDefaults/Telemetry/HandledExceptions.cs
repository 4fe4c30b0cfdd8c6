using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// An exception that <c>UseExceptionHandler</c> turned into a response never reaches the ASP.NET Core
/// instrumentation, which records only unhandled ones; this puts it on the server span all the same.
/// </summary>
internal static class HandledExceptions
{
    /// <summary>Adds the handled exception, if any, as an <c>exception</c> event and the span's <c>error.type</c>.</summary>
    public static void Enrich(Activity activity, HttpResponse response)
    {
        if (response.HttpContext.Features.Get<IExceptionHandlerFeature>() is not { Error: { } exception })
        {
            return;
        }

        activity.AddException(exception);
        activity.SetTag("error.type", exception.GetType().FullName);
    }
}
