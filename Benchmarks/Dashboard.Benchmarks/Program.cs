using System.Diagnostics;
using System.Globalization;
using Observability.Dashboard.Benchmarks;
using Observability.Dashboard.Tests;

// Usage: dotnet run -c Release --project Benchmarks/Dashboard.Benchmarks [traces=100000]
var traces = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
const int SpansPerBatch = 1_000;
const int SpansPerTrace = 5;
var batches = traces * SpansPerTrace / SpansPerBatch;

var stopwatch = Stopwatch.StartNew();
var payloads = Enumerable.Range(0, batches).Select(i => ExporterPayloads.Traces(SpansPerBatch, SpansPerTrace, "service-" + (i % 8))).ToList();
Console.WriteLine($"Captured {batches} real-exporter batches of {SpansPerBatch} spans ({payloads.Sum(p => p.Length) / batches} bytes each) in {stopwatch.Elapsed.TotalSeconds:F1} s");

DecoderBenchmark.Run(payloads, SpansPerBatch);
PersistenceBenchmark.Run(payloads);
StoreBenchmark.Run(payloads, SpansPerBatch);
await HttpIngestBenchmark.RunAsync(payloads, SpansPerBatch);
