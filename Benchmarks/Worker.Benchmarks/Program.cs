using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Observability.TestInfrastructure.Otlp;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;
using Observability.Worker.Benchmarks;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;

// Completed workflow runs per second of one Worker process (simulated model at zero latency), see README.md.
// `micro [BenchmarkDotNet arguments]`: the in-process microbenchmarks instead (RunEventsBenchmarks).
if (args is ["micro", .. var benchmarkArguments])
{
    // In-process: the project's file name differs from its assembly name, which BenchmarkDotNet's generated
    // out-of-process project cannot follow; microbenchmarks lose nothing by it.
    BenchmarkSwitcher.FromAssembly(typeof(RunEventsBenchmarks).Assembly)
        .Run(benchmarkArguments, DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)));
    return 0;
}

var runs = IntArgument("--runs", 20_000);
var concurrency = IntArgument("--concurrency", 64);
var profile = args.Contains("--profile");
TelemetryMode telemetry;
try
{
    telemetry = Argument("--telemetry") is { } mode ? ServiceTelemetry.ParseMode(mode) : TelemetryMode.NoExport;
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

var workerDll = Argument("--worker") is { } given ? Path.GetFullPath(given) : Path.Combine(FindRepositoryRoot(), "artifacts", "bin", "Worker", "release", "Observability.Worker.dll");
if (!File.Exists(workerDll))
{
    Console.Error.WriteLine($"Worker build not found at {workerDll}: run `dotnet build Worker -c Release` first.");
    return 2;
}

using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = cancellation.Token;
Console.WriteLine($"Starting PostgreSQL and redis-server; {runs} runs, worker concurrency {concurrency}, telemetry {ServiceTelemetry.Name(telemetry)}.");
Console.WriteLine($"Load average (1 5 15 min) at the start: {ProcFs.LoadAverage()}");
await using var postgres = await PostgresServer.StartAsync(profile ? RunProfile.PostgresSettings : null);
await using var redisServer = await RedisServer.StartAsync();
var database = await postgres.CreateDatabaseAsync(ct);
await using var dataSource = NpgsqlDataSource.Create(database);
await using (var db = new WorkflowsDbContext(new DbContextOptionsBuilder<WorkflowsDbContext>().UseNpgsql(dataSource).Options))
{
    await db.Database.MigrateAsync(ct);
}

await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redisServer.ConnectionString);
await using var runProfile = profile ? await RunProfile.CreateAsync(dataSource, redisServer.ConnectionString, ct) : null;

var seeding = Stopwatch.StartNew();
var traceIds = await RunSeeder.SeedAsync(dataSource, redis, runs, ct);
Console.WriteLine($"Seeded {runs} queued runs and their job entries in {seeding.Elapsed.TotalSeconds:F1} s.");
await using var completions = await CompletionWatch.CreateAsync(dataSource, Math.Max(256, 4 * concurrency), ct);

// --telemetry export: the worker exports traces, metrics and logs over OTLP/gRPC (the protocol the deployments set) to a
// receiver in this process that only counts them, and writes its SDK's self-diagnostics (dropped items) for the end.
await using var otlp = telemetry == TelemetryMode.Export ? await OtlpCaptureReceiver.StartAsync(OtlpCaptureMode.Count, ct) : null;
using var sdkDiagnostics = telemetry == TelemetryMode.Export ? SdkSelfDiagnostics.Create() : null;
var workerTelemetry = ServiceTelemetry.Environment(telemetry, otlp, OtlpTransport.Grpc);
foreach (var (key, value) in sdkDiagnostics?.Environment ?? new Dictionary<string, string>())
{
    workerTelemetry[key] = value;
}

await using var worker = WorkerProcess.Start(workerDll, database, redisServer.ConnectionString, concurrency, LoopbackPort.GetFree(), workerTelemetry);
Console.WriteLine($"Worker process {worker.ProcessId} started.");
var postmaster = postgres.ProcessId;
ProcessSample? first = null;
double postgresFirst = 0, redisFirst = 0, selfFirst = 0;
var firstAt = TimeSpan.Zero;
var clock = Stopwatch.StartNew();
long completed = 0;
var steadyAt = TimeSpan.Zero;
long steadyFrom = 0;
ProcessSample? steady = null;
double postgresSteady = 0, redisSteady = 0, selfSteady = 0;
long peakRss = 0;
while (completed < runs)
{
    if (worker.HasExited)
    {
        Console.Error.WriteLine("The worker exited before every run completed.");
        return 1;
    }

    // Until the first pickup, watch Redis (cheap); then count completions in PostgreSQL every half second (primary-key
    // lookups of the oldest unfinished runs, CompletionWatch: measured with PostgreSQL's CPU, so kept small).
    await Task.Delay(TimeSpan.FromMilliseconds(first is null ? 20 : 500), ct);
    var sample = ProcessSample.Read(worker.ProcessId);
    peakRss = Math.Max(peakRss, sample.RssBytes);
    if (first is null && await redis.GetDatabase().KeyExistsAsync(WorkflowStreams.Jobs)
        && (await redis.GetDatabase().StreamGroupInfoAsync(WorkflowStreams.Jobs)).Any(g => g.PendingMessageCount > 0 || g.LastDeliveredId is not (null or "0-0")))
    {
        // The clock starts when the worker picked up its first job (after its own start-up and JIT).
        first = sample;
        firstAt = clock.Elapsed;
        postgresFirst = ProcFs.TreeCpuSeconds(postmaster);
        redisFirst = ProcFs.TreeCpuSeconds(redisServer.ProcessId);
        selfFirst = ProcFs.CpuSeconds(Environment.ProcessId);
        if (runProfile is not null)
        {
            await runProfile.StartAsync(postmaster, ct);
        }
    }

    if (first is null)
    {
        continue;
    }

    await completions.PollAsync(ct);
    completed = completions.Completed;

    if (steadyAt == TimeSpan.Zero && completed >= runs / 4)
    {
        // Steady state: the runs after the first quarter (the worker's JIT may still be tiering up early in them).
        steadyAt = clock.Elapsed;
        steadyFrom = completed;
        steady = ProcessSample.Read(worker.ProcessId);
        postgresSteady = ProcFs.TreeCpuSeconds(postmaster);
        redisSteady = ProcFs.TreeCpuSeconds(redisServer.ProcessId);
        selfSteady = ProcFs.CpuSeconds(Environment.ProcessId);
    }

    if (completions.NotCompleted > 0)
    {
        Console.Error.WriteLine($"{completions.NotCompleted} runs finished other than Completed.");
        return 1;
    }
}

var last = ProcessSample.Read(worker.ProcessId);
var postgresLast = ProcFs.TreeCpuSeconds(postmaster);
var redisLast = ProcFs.TreeCpuSeconds(redisServer.ProcessId);
var selfLast = ProcFs.CpuSeconds(Environment.ProcessId);
var spansInWindow = otlp?.Counts.Spans ?? 0;
var postgresCpu = postgresLast - postgresFirst;
var redisCpu = redisLast - redisFirst;
var wall = (clock.Elapsed - firstAt).TotalSeconds;
var (dbSpan, dbRate) = await DatabaseRateAsync(dataSource, ct);
var workerCpu = last.ProcessCpuSeconds - first!.ProcessCpuSeconds;
// The same CPU counted only over the steady window (the last runs - steadyFrom runs): the warm-up of the first quarter
// left out. Reported beside the whole-window figures, which stay the measurement.
var steadyRuns = runs - steadyFrom;
var workerSteadyCpu = last.ProcessCpuSeconds - steady!.ProcessCpuSeconds;
var postgresSteadyCpu = postgresLast - postgresSteady;
var redisSteadyCpu = redisLast - redisSteady;
var selfCpu = selfLast - selfFirst;
var selfSteadyCpu = selfLast - selfSteady;
var machineBusy = last.MachineBusySeconds - first.MachineBusySeconds;
var machineTotal = last.MachineTotalSeconds - first.MachineTotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

    Completed runs:            {runs}
    Completed runs per second: {runs / wall:F0} (polled wall clock, {wall:F2} s, from the first job picked up)
                               {(runs - steadyFrom) / (clock.Elapsed - steadyAt).TotalSeconds:F0} (steady state: the last {runs - steadyFrom} runs, after warm-up)
                               {dbRate:F0} (first started_at to last completed_at in the database, {dbSpan:F2} s)
    Worker CPU:                {workerCpu:F1} s = {workerCpu / wall:F2} cores, {workerCpu * 1000 / runs:F2} ms per run
    PostgreSQL CPU:            {postgresCpu:F1} s = {postgresCpu / wall:F2} cores, {postgresCpu * 1000 / runs:F2} ms per run
    redis-server CPU:          {redisCpu:F1} s = {redisCpu / wall:F2} cores, {redisCpu * 1000 / runs:F2} ms per run
    CPU per run, all three:    {(workerCpu + postgresCpu + redisCpu) * 1000 / runs:F2} ms -> at most {2000 / ((workerCpu + postgresCpu + redisCpu) * 1000 / runs):F0} runs/s on 2 idle cores
    Steady window CPU per run: worker {workerSteadyCpu * 1000 / steadyRuns:F2}, PostgreSQL {postgresSteadyCpu * 1000 / steadyRuns:F2}, redis-server {redisSteadyCpu * 1000 / steadyRuns:F2}, all three {(workerSteadyCpu + postgresSteadyCpu + redisSteadyCpu) * 1000 / steadyRuns:F2} ms (the last {steadyRuns} runs only; the figures above are the measurement)
    This process's CPU:        {selfCpu:F1} s = {selfCpu / wall:F2} cores, {selfCpu * 1000 / runs:F2} ms per run, steady window {selfSteadyCpu * 1000 / steadyRuns:F2} ms ({(otlp is null ? "the completion poll" : "the completion poll and the OTLP receiver")}; not in "all three")
    Telemetry:                 {(otlp is null ? ServiceTelemetry.Name(telemetry) : $"export over OTLP/gRPC, always_on: {spansInWindow} spans received by the last completion ({spansInWindow / (double)runs:F2} per run)")}
    Machine CPU busy:          {machineBusy / machineTotal * 100:F0}% of {Environment.ProcessorCount} cores (worker, PostgreSQL, redis-server, this process, others)
    Worker memory:             {last.RssBytes / 1048576.0:F0} MiB RSS at the end, {Math.Max(peakRss, last.PeakRssBytes) / 1048576.0:F0} MiB peak
    Load average (1 5 15 min): {ProcFs.LoadAverage()}
    """));
if (runProfile is not null)
{
    await runProfile.PrintAsync(runs, ct);
}

// Stopped as a platform stops it, so that its OpenTelemetry providers shut down: the batch processors export what
// they still hold and report what they dropped. Its exporters wait for the receiver's answers, so once it has exited
// everything it sent has been counted.
var stopping = Stopwatch.StartNew();
worker.Signal(NativeMethods.SigTerm);
using (var exitTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
{
    exitTimeout.CancelAfter(TimeSpan.FromSeconds(60));
    await worker.WaitForExitAsync(exitTimeout.Token);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Worker stopped (SIGTERM) {stopping.Elapsed.TotalSeconds:F1} s after the signal, exit code {worker.ExitCode}."));
if (otlp is null)
{
    return 0;
}

var runsMissingSpans = RunSpanAudit.Print(otlp.Counts, traceIds, Console.Out);

// The runtime's own counter, as the worker's last metric export (at shutdown) carried it: everything the process
// allocated, its start-up and the seeded runs' pick-up included.
if (otlp.Counts.LatestSum("dotnet.gc.heap.total_allocated") is { } allocated)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Worker allocated:          {allocated / 1e9:F2} GB over its life (dotnet.gc.heap.total_allocated at shutdown), {allocated / runs / 1024:F1} KiB per completed run"));
}

if (otlp.Counts.LatestSum("dotnet.gc.collections") is { } collections && otlp.Counts.LatestSum("dotnet.gc.pause.time") is { } paused)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Worker GCs:                {collections:F0} collections over its life (dotnet.gc.collections, all generations) = {collections * 1000 / runs:F2} per 1,000 runs; {paused:F2} s paused (dotnet.gc.pause.time)"));
}

Console.WriteLine($"Export requests the receiver could not decode: {otlp.Errors.Count}");
sdkDiagnostics!.Print(Console.Out);
return runsMissingSpans == 0 && otlp.Errors.Count == 0 ? 0 : 1;

static async Task<(double Seconds, double Rate)> DatabaseRateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
{
    await using var command = dataSource.CreateCommand(
        "SELECT extract(epoch FROM max(completed_at) - min(started_at))::float8, count(*) FROM workflow_runs WHERE status = 'Completed'");
    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
    await reader.ReadAsync(cancellationToken);
    var seconds = reader.GetDouble(0);
    return (seconds, reader.GetInt64(1) / seconds);
}

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntArgument(string name, int fallback)
    => Argument(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Observability.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmark from inside the repository (Observability.sln not found).");
}
