using System.Net;
using System.Text.Json;

namespace Observability.Dashboard.Tests;

/// <summary>Ingest keeps working while the query API and the live stream are in use.</summary>
[Trait("Category", "Integration")]
public sealed class LiveIngestTests
{
    [Fact]
    public async Task Ingest_WhileQuerying_AllExportsStoredAndQueriesSucceed()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        var payloads = Enumerable.Range(0, 40).Select(i => ExporterPayloads.Traces(20, service: "svc-" + (i % 4))).ToList();
        using var writersDone = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var otlp = server.CreateOtlpClient();
            for (var i = w; i < payloads.Count; i += 4)
            {
                using var response = await otlp.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(payloads[i]), timeout.Token);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }, timeout.Token)).ToList();
        var queries = 0;
        var reader = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
            {
                var list = await ApiJson.GetAsync(api, "/api/traces?service=svc-1&limit=10", timeout.Token);
                foreach (var item in list.GetProperty("items").EnumerateArray())
                {
                    var trace = await ApiJson.GetAsync(api, $"/api/traces/{item.GetProperty("traceId").GetString()}", timeout.Token);
                    Assert.True(trace.GetProperty("spanCount").GetInt32() > 0);
                }

                queries++;
            }
        }, timeout.Token);

        await Task.WhenAll(writers);
        await reader;
        var all = await ApiJson.GetAsync(api, "/api/traces?limit=1", timeout.Token);
        Assert.Equal(80, all.GetProperty("total").GetInt32());
        Assert.True(queries > 0);
    }

    [Fact]
    public async Task Stream_NewExport_IsAnnouncedAsServerSentEvent()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var api = await server.CreateApiClientAsync(timeout.Token);
        using var otlp = server.CreateOtlpClient();
        using var stream = await api.GetStreamAsync("/api/stream", timeout.Token);
        using var lines = new StreamReader(stream);

        using (var response = await ApiJson.PostJsonAsync(otlp, "/v1/logs", OtlpJsonPayloads.Logs, timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        string? eventName = null;
        while (true)
        {
            var line = await lines.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                Assert.Equal("logs", eventName);
                Assert.Equal("json-service", data.GetProperty("service").GetString());
                Assert.Equal(2, data.GetProperty("count").GetInt64());
                break;
            }
        }
    }
}
