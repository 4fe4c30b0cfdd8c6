using Microsoft.Extensions.Options;

namespace Observability.SampleTraffic;

/// <summary>Submits workflows to the gateway (a typed client: service discovery and resilience come from the service defaults).</summary>
internal sealed class GatewayClient(HttpClient http, IOptions<SampleTrafficOptions> options)
{
    private readonly SampleTrafficOptions _options = options.Value;

    /// <summary>
    /// Posts <paramref name="task"/>; the <c>Idempotency-Key</c> makes the POST safe to retry (the resilience handler
    /// retries unsafe methods only with one) and the gateway answers a retry with the same run.
    /// </summary>
    public async Task<SubmittedWorkflow> SubmitAsync(string task, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Gateway, "/api/workflows"))
        {
            Content = JsonContent.Create(new SampleWorkflow(task, _options.SessionId), SampleTrafficJsonContext.Default.SampleWorkflow),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"The gateway answered {(int)response.StatusCode}: {problem}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync(SampleTrafficJsonContext.Default.SubmittedWorkflow, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("The gateway answered an empty body.");
    }
}
