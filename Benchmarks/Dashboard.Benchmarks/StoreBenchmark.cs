using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Observability.Dashboard.Apis;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Benchmarks;

/// <summary>In-process: decode+store throughput on one thread, bytes per stored span, query latency with every trace stored.</summary>
internal static class StoreBenchmark
{
    public static void Run(List<byte[]> payloads, int spansPerBatch)
    {
        var storage = Options.Create(new StorageOptions { MaxTraces = 1_000_000, MaxSpans = 10_000_000, MaxLogs = 10, DataDirectory = "" });
        var drops = new DropCounters();
        var registry = new ResourceRegistry(storage);
        var traces = new TraceStore(storage, drops);
        using var journal = new TelemetryJournal(storage, TimeProvider.System, NullLogger<TelemetryJournal>.Instance);
        var ingestor = new OtlpIngestor(registry, traces, new LogStore(storage, drops), new MetricStore(storage, drops), drops,
            new TelemetryNotifier(), journal, storage, Options.Create(new OtlpOptions { PrimaryApiKey = "unused" }));

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        foreach (var payload in payloads)
        {
            ingestor.Ingest(OtlpSignal.Traces, OtlpFormat.Protobuf, payload);
        }

        var elapsed = stopwatch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var spans = (long)payloads.Count * spansPerBatch;
        Console.WriteLine($"In-process decode+store (1 thread): {spans / elapsed.TotalSeconds:N0} spans/s wall, {spans / cpu.TotalSeconds:N0} spans per CPU-second");
        Console.WriteLine($"Memory: {(after - before) / (double)spans:N0} bytes per stored span ({traces.Count:N0} traces, {spans:N0} spans, {(after - before) / 1048576.0:N0} MiB)");

        var ids = traces.Query(new TraceQuery { Limit = 1_000 }).Page.Select(t => t.TraceId).ToArray();
        Console.WriteLine("Trace by id (store + tree + JSON): " + Percentiles.Measure(2_000, i =>
            JsonSerializer.Serialize(SpanTree.Build(ids[i % ids.Length], traces.Get(ids[i % ids.Length])!), DashboardJsonContext.Default.TraceDto)));
        var filtered = new TraceQuery
        {
            Service = "service-3",
            SpanName = "select",
            MinDuration = TimeSpan.Zero,
            AttributeKey = "http.route",
            AttributeValue = "/api/items/{id}",
            Limit = 50,
        };
        Console.WriteLine($"Filtered trace list over {traces.Count:N0} traces (service, span name, duration, attribute; 50 per page): " +
            Percentiles.Measure(50, _ => traces.Query(filtered)));
        GC.KeepAlive(ingestor);
    }
}
