using System.Net;
using Observability.TestInfrastructure.Processes;

namespace Observability.Dashboard.Tests;

/// <summary>Telemetry survives a restart; clears are persisted; retention deletes whole old segments.</summary>
[Trait("Category", "Integration")]
public sealed class PersistenceTests
{
    [Fact]
    public async Task Restart_SameDataDirectory_RestoresEverySignal()
    {
        using var timeout = TestTimeout.Start();
        var directory = TestDirectory.Create("dashboard");
        try
        {
            var settings = new Dictionary<string, string?> { ["Dashboard:Storage:DataDirectory"] = directory.Path };
            await using (var first = DashboardServer.Start(settings))
            {
                using var otlp = first.CreateOtlpClient();
                await PostAsync(otlp, "/v1/traces", OtlpJsonPayloads.Traces, timeout.Token);
                await PostAsync(otlp, "/v1/logs", OtlpJsonPayloads.Logs, timeout.Token);
                await PostAsync(otlp, "/v1/metrics", OtlpJsonPayloads.Metrics, timeout.Token);
                using var protobuf = await otlp.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(ExporterPayloads.Traces(30, service: "proto-service")), timeout.Token);
                Assert.Equal(HttpStatusCode.OK, protobuf.StatusCode);
            }

            await using var second = DashboardServer.Start(settings);
            using var api = await second.CreateApiClientAsync(timeout.Token);
            var trace = await ApiJson.GetAsync(api, $"/api/traces/{OtlpJsonPayloads.TraceId}", timeout.Token);
            Assert.Equal(2, trace.GetProperty("spanCount").GetInt32());
            var traces = await ApiJson.GetAsync(api, "/api/traces?service=proto-service", timeout.Token);
            Assert.Equal(3, traces.GetProperty("total").GetInt32());
            var logs = await ApiJson.GetAsync(api, "/api/logs", timeout.Token);
            Assert.Equal(2, logs.GetProperty("total").GetInt32());
            var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
            var json = resources.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("serviceName").GetString() == "json-service" && r.GetProperty("instanceId").ValueKind == System.Text.Json.JsonValueKind.Null);
            Assert.Equal(4, json.GetProperty("metricSeries").GetInt32());
            Assert.True(resources.GetProperty("persistedBytes").GetInt64() > 0);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task ClearResource_ThenRestart_StaysCleared()
    {
        using var timeout = TestTimeout.Start();
        var directory = TestDirectory.Create("dashboard");
        try
        {
            var settings = new Dictionary<string, string?> { ["Dashboard:Storage:DataDirectory"] = directory.Path };
            await using (var first = DashboardServer.Start(settings))
            {
                using var otlp = first.CreateOtlpClient();
                using var api = await first.CreateApiClientAsync(timeout.Token);
                using var keep = await otlp.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(ExporterPayloads.Traces(10, service: "keep")), timeout.Token);
                using var drop = await otlp.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(ExporterPayloads.Traces(10, service: "drop")), timeout.Token);
                var resources = await ApiJson.GetAsync(api, "/api/resources", timeout.Token);
                var dropId = resources.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("serviceName").GetString() == "drop").GetProperty("id").GetInt32();
                using var cleared = await api.DeleteAsync($"/api/resources/{dropId}", timeout.Token);
                Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
                Assert.Equal(0, (await ApiJson.GetAsync(api, "/api/traces?service=drop", timeout.Token)).GetProperty("total").GetInt32());
            }

            await using var second = DashboardServer.Start(settings);
            using var api2 = await second.CreateApiClientAsync(timeout.Token);
            Assert.Equal(0, (await ApiJson.GetAsync(api2, "/api/traces?service=drop", timeout.Token)).GetProperty("total").GetInt32());
            Assert.Equal(1, (await ApiJson.GetAsync(api2, "/api/traces?service=keep", timeout.Token)).GetProperty("total").GetInt32());

            using var all = await api2.DeleteAsync("/api/resources", timeout.Token);
            Assert.Equal(HttpStatusCode.NoContent, all.StatusCode);
            Assert.Equal(0, (await ApiJson.GetAsync(api2, "/api/traces", timeout.Token)).GetProperty("total").GetInt32());
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Retention_OverSizeLimit_DeletesOldestSegments()
    {
        using var timeout = TestTimeout.Start();
        var directory = TestDirectory.Create("dashboard");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Dashboard:Storage:DataDirectory"] = directory.Path,
                ["Dashboard:Storage:SegmentBytes"] = "16384",
                ["Dashboard:Storage:RetentionBytes"] = "65536",
            };
            var payload = ExporterPayloads.Traces(40);
            var size = payload.Length;
            await using var server = DashboardServer.Start(settings);
            using var otlp = server.CreateOtlpClient();
            for (var i = 0; i < 40; i++)
            {
                using var response = await otlp.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(payload), timeout.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var onDisk = Directory.EnumerateFiles(directory.Path, "*.otlpseg").Sum(f => new FileInfo(f).Length);
            Assert.True(size * 40 > 65_536 * 2, "the test must write well past the retention size");
            Assert.InRange(onDisk, 1, 65_536 + 16_384 + size + 14);
        }
        finally
        {
            directory.Delete();
        }
    }

    private static async Task PostAsync(HttpClient client, string path, string json, CancellationToken cancellationToken)
    {
        using var response = await ApiJson.PostJsonAsync(client, path, json, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
