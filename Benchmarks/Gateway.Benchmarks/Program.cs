using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Observability.Gateway.Benchmarks;
using Observability.TestInfrastructure.Otlp;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

// Submits per second of the real Gateway process over loopback, with real PostgreSQL and redis-server, and whether
// the outbox relay kept up. See README.md in this folder.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

var gatewayDll = GatewayProcess.Locate(options.GatewayPath);
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var cancellationToken = cancellation.Token;
Console.WriteLine($"Gateway: {gatewayDll}");
Console.WriteLine($"load before: {ProcFs.LoadAverage()}");

await using var postgres = await PostgresServer.StartAsync();
await using var redis = await RedisServer.StartAsync();
var databaseConnectionString = await postgres.CreateDatabaseAsync(cancellationToken);
await using var otlp = options.Telemetry == TelemetryMode.Export ? await OtlpCaptureReceiver.StartAsync(cancellationToken) : null;
await using var gateway = await GatewayProcess.StartAsync(
    gatewayDll, databaseConnectionString, redis.ConnectionString, options.Telemetry, otlp);
await using var database = NpgsqlDataSource.Create(databaseConnectionString);
var probe = new SubmitProbe(database, redis);
Console.WriteLine($"Gateway pid {gateway.ProcessId} at {gateway.Address} (attach perf here), telemetry: {options.Telemetry}");
var postgresPid = postgres.ProcessId;

Console.WriteLine($"warm-up: {options.WarmupSeconds} s, {options.Connections} connections");
var warmup = await WrkLoad.RunAsync(gateway.Address, options, options.WarmupSeconds, cancellationToken);
Console.WriteLine($"  {warmup.Requests} requests, {warmup.Non2xx} non-2xx, socket errors: {warmup.SocketErrors}");
if (await probe.WaitForDrainAsync(TimeSpan.FromSeconds(60), cancellationToken) is null)
{
    Console.Error.WriteLine("The relay did not drain the warm-up's outbox within 60 s.");
    return 1;
}

var runsBefore = await probe.RunsAsync(cancellationToken);
var spansBefore = otlp?.Spans.Count ?? 0;
var streamBefore = await probe.StreamLengthAsync();
var gatewayCpuBefore = ProcFs.CpuSeconds(gateway.ProcessId);
var postgresCpuBefore = ProcFs.TreeCpuSeconds(postgresPid);
var redisCpuBefore = ProcFs.CpuSeconds(redis.ProcessId);
var machineBefore = ProcFs.MachineCpuSeconds();
long maxBacklog = 0;
using var stopSampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!stopSampling.IsCancellationRequested)
    {
        maxBacklog = Math.Max(maxBacklog, await probe.UnsentAsync(cancellationToken));
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stopSampling.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
    }
}, cancellationToken);

Console.WriteLine($"measuring: {options.Seconds} s, {options.Connections} connections, {options.Threads} wrk threads");
var clock = Stopwatch.StartNew();
var result = await WrkLoad.RunAsync(gateway.Address, options, options.Seconds, cancellationToken);
var wall = clock.Elapsed.TotalSeconds;

var gatewayCpu = ProcFs.CpuSeconds(gateway.ProcessId) - gatewayCpuBefore;
var postgresCpu = ProcFs.TreeCpuSeconds(postgresPid) - postgresCpuBefore;
var redisCpu = ProcFs.CpuSeconds(redis.ProcessId) - redisCpuBefore;
var machineAfter = ProcFs.MachineCpuSeconds();
var (rss, peakRss) = ProcFs.Memory(gateway.ProcessId);
var unsentAtEnd = await probe.UnsentAsync(cancellationToken);
await stopSampling.CancelAsync();
await sampler;
var drained = await probe.WaitForDrainAsync(TimeSpan.FromSeconds(60), cancellationToken);
var created = await probe.RunsAsync(cancellationToken) - runsBefore;
var streamAdded = await probe.StreamLengthAsync() - streamBefore;
var loadAfter = ProcFs.LoadAverage();
var spansExported = (otlp?.Spans.Count ?? 0) - spansBefore;

var machineBusy = (machineAfter.Busy - machineBefore.Busy) / (machineAfter.Total - machineBefore.Total);
Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("| --- | ---: |");
Row("submits/s (runs committed / wrk seconds)", (created / result.Seconds).ToString("N0", CultureInfo.InvariantCulture));
Row("requests (wrk), non-2xx, socket errors", $"{result.Requests:N0}, {result.Non2xx:N0}, {result.SocketErrors}");
Row("latency p50 / p90 / p99", $"{Ms(result.P50)} / {Ms(result.P90)} / {Ms(result.P99)}");
Row("gateway CPU (cores busy, of 2)", Cores(gatewayCpu));
Row("gateway CPU per submit", $"{gatewayCpu / Math.Max(1, created) * 1e6:N0} µs");
Row("gateway memory (RSS at end / peak)", $"{rss / 1048576.0:N0} MiB / {peakRss / 1048576.0:N0} MiB");
Row("PostgreSQL CPU (postmaster + backends)", Cores(postgresCpu));
Row("redis-server CPU", Cores(redisCpu));
Row("wrk CPU", Cores(result.CpuSeconds));
Row("machine CPU busy (all processes)", $"{machineBusy * 100:N0} %");
Row("outbox unsent: largest sample during load / at the end", $"{maxBacklog:N0} / {unsentAtEnd:N0}");
Row("outbox drained after the load", drained is { } d ? $"{d.TotalMilliseconds:N0} ms" : "NOT within 60 s");
Row("jobs added to the stream / runs committed", $"{streamAdded:N0} / {created:N0}");
Row("telemetry", options.Telemetry switch
{
    TelemetryMode.Off => "OTEL_SDK_DISABLED=true",
    TelemetryMode.Export => $"exported over OTLP/HTTP, 100% sampled: {spansExported:N0} spans received during the measurement",
    _ => "spans created, nothing exported",
});
Row("load average (1/5/15 min) after", loadAfter);
Console.WriteLine();

return drained is null || streamAdded != created ? 1 : 0;

void Row(string name, string value) => Console.WriteLine($"| {name} | {value} |");

string Cores(double cpuSeconds) => (cpuSeconds / wall).ToString("N2", CultureInfo.InvariantCulture);

static string Ms(TimeSpan value) => $"{value.TotalMilliseconds.ToString("N2", CultureInfo.InvariantCulture)} ms";
