using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>A client of the gateway's <c>/api/workflows</c>, as an application would call it.</summary>
internal sealed class WorkflowsClient(HttpClient http) : IDisposable
{
    private static readonly Uri Workflows = new("/api/workflows", UriKind.Relative);

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Sends a submit and returns the raw response (for status and problem-details checks).</summary>
    public async Task<HttpResponseMessage> PostAsync(object body, string? idempotencyKey, string? traceParent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Workflows) { Content = JsonContent.Create(body, options: Json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>Submits <paramref name="task"/> (in <paramref name="sessionId"/> when given) and expects 202 Accepted.</summary>
    public async Task<SubmittedRun> SubmitAsync(string task, CancellationToken cancellationToken, string? traceParent = null, string? sessionId = null)
    {
        using var response = await PostAsync(sessionId is null ? new { task } : new { task, sessionId }, null, traceParent, cancellationToken);
        return await ReadAcceptedAsync(response, cancellationToken);
    }

    /// <summary>A ticket for every run of <paramref name="sessionId"/>: <c>POST /api/sessions/{sessionId}/events-ticket</c>.</summary>
    public async Task<(string EventsUrl, string Ticket)> SessionTicketAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri($"/api/sessions/{Uri.EscapeDataString(sessionId)}/events-ticket", UriKind.Relative), null, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"The session ticket request answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return (document.RootElement.GetProperty("eventsUrl").GetString()!, document.RootElement.GetProperty("ticket").GetString()!);
    }

    public static async Task<SubmittedRun> ReadAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Submit answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<SubmittedRun>(text, Json) ?? throw new InvalidOperationException("Empty submit response.");
    }

    public async Task<RunDetails> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/workflows/{runId}", UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET run answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<RunDetails>(text, Json) ?? throw new InvalidOperationException("Empty run response.");
    }

    /// <summary>Polls the run until <paramref name="until"/> holds.</summary>
    public Task<RunDetails> WaitForAsync(Guid runId, Func<RunDetails, bool> until, TimeSpan timeout, CancellationToken cancellationToken) =>
        Poll.UntilAsync(ct => GetAsync(runId, ct), until, timeout, run => $"run {runId}: {run}", cancellationToken);

    public async Task<HttpResponseMessage> CancelAsync(Guid runId, CancellationToken cancellationToken) =>
        await http.PostAsync(new Uri($"/api/workflows/{runId}/cancel", UriKind.Relative), null, cancellationToken);

    public void Dispose() => http.Dispose();
}
