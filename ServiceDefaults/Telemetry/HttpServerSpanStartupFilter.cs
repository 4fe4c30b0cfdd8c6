using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>Puts <see cref="HttpServerSpanMiddleware"/> in front of the application's own pipeline.</summary>
internal sealed class HttpServerSpanStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app =>
        {
            app.UseMiddleware<HttpServerSpanMiddleware>();
            next(app);
        };
}
