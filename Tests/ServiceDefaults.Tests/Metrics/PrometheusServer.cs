using System.Globalization;
using System.Text.Json;
using Observability.TestInfrastructure.Processes;

namespace Observability.ServiceDefaults.Tests.Metrics;

/// <summary>
/// A real Prometheus server (Debian package <c>prometheus</c>) on a free loopback port that scrapes one target every
/// second. Prometheus asks for OpenMetrics first, so a healthy target proves the OpenMetrics output parses.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly TestDirectory _directory;
    private readonly ServerProcess _process;
    private readonly HttpClient _client;

    private PrometheusServer(TestDirectory directory, ServerProcess process, int port)
    {
        _directory = directory;
        _process = process;
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(Uri target, string metricsPath)
    {
        var directory = TestDirectory.Create("prometheus");
        var port = LoopbackPort.GetFree();
        var config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: service
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ['{target.Authority}']
            """);
        var process = ServerProcess.Start(
            "prometheus",
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                "--log.level=warn",
            ],
            directory.Path);
        directory.RecordServer(process.Id);
        var server = new PrometheusServer(directory, process, port);
        try
        {
            await process.WaitUntilReadyAsync(server.IsReadyAsync, TimeSpan.FromSeconds(30), "prometheus");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the first completed scrape of the target and returns its health and last error.</summary>
    public async Task<(string Health, string LastError)> WaitForScrapeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync("/api/v1/targets", cancellationToken));
            // The target list is empty until service discovery has run once.
            foreach (var target in json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
            {
                var health = target.GetProperty("health").GetString() ?? string.Empty;
                if (health != "unknown")
                {
                    return (health, target.GetProperty("lastError").GetString() ?? string.Empty);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>The value of an instant query's single series, polled until one exists.</summary>
    public async Task<string> QueryScalarAsync(string promQl, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}", cancellationToken));
            var results = json.RootElement.GetProperty("data").GetProperty("result");
            if (results.GetArrayLength() > 0)
            {
                return results[0].GetProperty("value")[1].GetString() ?? string.Empty;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
        _directory.Delete();
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync("/-/ready", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
