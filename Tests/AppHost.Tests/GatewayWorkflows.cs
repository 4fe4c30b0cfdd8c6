using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Observability.AppHost.Tests;

/// <summary>The gateway's workflow API as the whole-application tests use it: submit, read, wait for a status.</summary>
internal static class GatewayWorkflows
{
    private static readonly HashSet<string> FinalStatuses = ["Completed", "Failed", "Cancelled", "DeadLettered"];

    /// <summary>POSTs a task to <c>/api/workflows</c> and returns the 202 answer (runId, statusUrl, eventsUrl, traceId...).</summary>
    public static async Task<JsonElement> SubmitAsync(HttpClient gateway, string task, string sessionId, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync("/api/workflows", new { task, sessionId }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/workflows answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient gateway, string path, CancellationToken cancellationToken)
    {
        using var response = await gateway.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Polls the run until it reaches a final status and returns its details; fails when that status is not
    /// <paramref name="expected"/>. The token is the deadline.
    /// </summary>
    public static async Task<JsonElement> WaitForFinalStatusAsync(HttpClient gateway, Guid runId, string expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = await GetJsonAsync(gateway, $"/api/workflows/{runId}", cancellationToken);
            var status = run.GetProperty("status").GetString()!;
            if (FinalStatuses.Contains(status))
            {
                Assert.True(status == expected, $"Run {runId} ended {status}, not {expected}: {run}");
                return run;
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
