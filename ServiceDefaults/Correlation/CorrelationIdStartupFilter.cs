using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>Puts <see cref="CorrelationIdMiddleware"/> in front of the application's own pipeline.</summary>
internal sealed class CorrelationIdStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app =>
        {
            app.UseMiddleware<CorrelationIdMiddleware>();
            next(app);
        };
}
