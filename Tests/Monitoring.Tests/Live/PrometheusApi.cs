using System.Net.Http.Json;
using System.Text.Json;

namespace Observability.Monitoring.Tests.Live;

/// <summary>The parts of Prometheus' and Alertmanager's HTTP APIs the live tests use.</summary>
internal sealed class PrometheusApi(Uri prometheus, Uri? alertmanager) : IDisposable
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>An instant query: whether it parsed and evaluated, the error otherwise, and how many series it returned.</summary>
    public async Task<QueryResult> QueryAsync(string expr, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(new Uri(prometheus, $"/api/v1/query?query={Uri.EscapeDataString(expr)}"), cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        return root.GetProperty("status").GetString() == "success"
            ? new QueryResult(true, null, root.GetProperty("data").GetProperty("result").GetArrayLength())
            : new QueryResult(false, $"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}", 0);
    }

    /// <summary>The metric names of every scraped series (those with an <c>instance</c> label: recording rules drop it).</summary>
    public async Task<IReadOnlySet<string>> ScrapedNamesAsync(CancellationToken cancellationToken)
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>(
            new Uri(prometheus, $"/api/v1/label/__name__/values?match[]={Uri.EscapeDataString("{instance!=\"\"}")}"), cancellationToken);
        return answer.GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The scrape targets and their health, e.g. <c>worker 127.0.0.1:5001 up</c>.</summary>
    public async Task<IReadOnlyList<string>> TargetsAsync(CancellationToken cancellationToken)
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>(new Uri(prometheus, "/api/v1/targets"), cancellationToken);
        return answer.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => $"{t.GetProperty("labels").GetProperty("job").GetString()} {t.GetProperty("labels").GetProperty("instance").GetString()} {t.GetProperty("health").GetString()}")
            .ToArray();
    }

    /// <summary>Prometheus' alerts (pending and firing) as <c>name state</c>.</summary>
    public async Task<IReadOnlyList<(string Name, string State)>> AlertsAsync(CancellationToken cancellationToken)
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>(new Uri(prometheus, "/api/v1/alerts"), cancellationToken);
        return answer.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Select(a => (a.GetProperty("labels").GetProperty("alertname").GetString()!, a.GetProperty("state").GetString()!))
            .ToArray();
    }

    /// <summary>The alert names Alertmanager holds as active (resolved alerts are not listed).</summary>
    public async Task<IReadOnlyList<string>> AlertmanagerAlertsAsync(CancellationToken cancellationToken)
    {
        var answer = await _client.GetFromJsonAsync<JsonElement>(
            new Uri(alertmanager ?? throw new InvalidOperationException("No Alertmanager."), "/api/v2/alerts"), cancellationToken);
        return answer.EnumerateArray().Select(a => a.GetProperty("labels").GetProperty("alertname").GetString()!).ToArray();
    }

    public void Dispose() => _client.Dispose();
}

internal sealed record QueryResult(bool Parsed, string? Error, int Series);
