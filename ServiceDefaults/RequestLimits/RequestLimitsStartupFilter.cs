using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Observability.ServiceDefaults.RequestLimits;

/// <summary>Puts <see cref="RequestLimitsMiddleware"/> in front of the application's own pipeline.</summary>
internal sealed class RequestLimitsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app =>
        {
            app.UseMiddleware<RequestLimitsMiddleware>();
            next(app);
        };
}
