using System.Text.Json;

namespace Observability.Dashboard.Tests;

/// <summary>Reads query API answers as JSON documents (the tests check the wire contract, not our DTO types).</summary>
internal static class ApiJson
{
    public static async Task<JsonElement> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="condition"/> holds or the deadline passes.</summary>
    public static async Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> condition, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var json = await GetAsync(client, path, deadline.Token);
            if (condition(json))
            {
                return json;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json, CancellationToken cancellationToken) =>
        client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
}
