using Observability.TestInfrastructure.Prometheus;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Observability.ServiceDefaults.Tests.Health;
using Observability.ServiceDefaults.Tests.Telemetry;

namespace Observability.ServiceDefaults.Tests.Metrics;

/// <summary>End to end through <c>AddServiceDefaults</c>: the host's own MeterProvider feeds <c>/metrics</c>.</summary>
/// <remarks>
/// In <see cref="TelemetryHosts"/>: the host listens to every meter named <c>Observability.*</c> in the process, and
/// promtool judges the whole scrape, so another test's meter alive at the same time fails it (seen: the
/// <c>test.duration</c> histogram of <c>OtlpCaptureReceiverTests</c>, which has no description, in the scrape).
/// </remarks>
[Trait("Category", "Integration")]
[Collection(TelemetryHosts.Name)]
public sealed class ServiceDefaultsMetricsTests
{

    [Fact]
    public async Task AddServiceDefaults_RequestsServed_AspNetCoreDurationAppearsOnMetricsAndPassesPromtool()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await TestWebHost.StartAsync(
            builder =>
            {
                builder.Configuration["OTEL_SERVICE_NAME"] = "orders-api";
                builder.AddServiceDefaults();
            },
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapGet("/orders/{id}", (int id) => TypedResults.Ok(id));
            },
            ct);
        for (var i = 0; i < 3; i++)
        {
            (await host.Client.GetAsync($"/orders/{i}", ct)).Dispose();
        }

        using var response = await host.Client.GetAsync("/metrics", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(body, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("http_server_request_duration_seconds_count{otel_scope_name=\"Microsoft.AspNetCore.Hosting\",http_request_method=\"GET\",http_response_status_code=\"200\",http_route=\"/orders/{id}\"", body, StringComparison.Ordinal);
        Assert.Contains("service_name=\"orders-api\"", body, StringComparison.Ordinal);
        // promtool exits 1 on a format error and 3 on lint findings. The runtime's semantic-convention gauges
        // dotnet.assembly.count, dotnet.timer.count and dotnet.process.cpu.count keep their specified names
        // (dotnet_*_count), which one lint rule flags; any other finding fails the test.
        Assert.True(Promtool.Accepts(exitCode, output), $"promtool check metrics exited {exitCode}:\n{output}\n--- scrape ---\n{body}");
    }
}
