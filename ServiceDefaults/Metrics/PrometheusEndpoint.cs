using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>The <c>/metrics</c> handler: negotiates the format, scrapes, writes the shared rendered bytes.</summary>
internal static class PrometheusEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var scraper = context.RequestServices.GetRequiredService<PrometheusScraper>();
        if (!scraper.IsAttached)
        {
            // The host's MeterProvider is built on first resolution; resolving it registers the reader.
            _ = context.RequestServices.GetService<MeterProvider>();
        }

        var format = PrometheusContentTypes.Negotiate(context.Request.GetTypedHeaders().Accept);
        var result = await scraper.ScrapeAsync(format, context.RequestAborted).ConfigureAwait(false);
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if (result is null)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("Metrics are unavailable: no running MeterProvider or the collection failed.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PrometheusContentTypes.For(result.Format);
        response.ContentLength = result.Content.Length;
        await response.Body.WriteAsync(result.Content, context.RequestAborted).ConfigureAwait(false);
    }
}
