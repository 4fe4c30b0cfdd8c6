using Microsoft.Net.Http.Headers;

namespace Observability.ServiceDefaults.Metrics;

/// <summary>Content types of the exposition formats and the <c>Accept</c> negotiation between them.</summary>
internal static class PrometheusContentTypes
{
    public const string Text = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static string For(PrometheusFormat format) => format == PrometheusFormat.OpenMetrics ? OpenMetrics : Text;

    /// <summary>
    /// Picks OpenMetrics when the client ranks <c>application/openmetrics-text</c> at least as high as every
    /// text alternative (Prometheus asks for it first); the classic text format otherwise, also without
    /// an <c>Accept</c> header.
    /// </summary>
    public static PrometheusFormat Negotiate(IList<MediaTypeHeaderValue> accept)
    {
        double openMetrics = -1;
        double text = -1;
        foreach (var mediaType in accept)
        {
            var quality = mediaType.Quality ?? 1.0;
            if (quality <= 0)
            {
                continue;
            }

            if (mediaType.MediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                openMetrics = Math.Max(openMetrics, quality);
            }
            else if (mediaType.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
                || mediaType.MediaType.Equals("text/*", StringComparison.OrdinalIgnoreCase)
                || mediaType.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase))
            {
                text = Math.Max(text, quality);
            }
        }

        return openMetrics >= 0 && openMetrics >= text ? PrometheusFormat.OpenMetrics : PrometheusFormat.Text;
    }
}
