using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.Hosting.Health;

/// <summary>GET on a health URL: any 2xx answer is healthy.</summary>
internal sealed class HttpHealthProbe(HttpClient client, Uri url) : IHealthProbe
{
    public string Description => $"GET {url}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{Description} answered {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Unhealthy($"{Description} failed: {e.Message}");
        }
    }
}
