using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Observability.LoadTest;
using Observability.TestInfrastructure.Processes;

// Sustained whole-platform load test: Gateway + workers + hub on real PostgreSQL and Redis, N clients submitting at a
// fixed total arrival rate and following their runs over the hub's WebSocket. See README.md in this folder.
LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

// Bounded whatever happens: the schedule, the drain and ten minutes for starting, checking and stopping. Ctrl+C or
// SIGTERM ends it early the same way: every wait below is cancelled and the platform's processes are stopped on the way
// out (PostgreSQL, redis-server and the services would otherwise go on running without it).
using var deadline = new CancellationTokenSource(options.Duration + options.Drain + TimeSpan.FromMinutes(10));
var interrupted = false;
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
try
{
    return await RunAsync(options, deadline.Token);
}
catch (OperationCanceledException) when (interrupted)
{
    Console.Error.WriteLine("Interrupted: the platform's processes were stopped; no report.");
    return 130;
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted = true;
    deadline.Cancel();
}

static async Task<int> RunAsync(LoadTestOptions options, CancellationToken cancellationToken)
{
    var loadBefore = ProcFs.LoadAverage();
    Console.WriteLine($"load before: {loadBefore}; starting PostgreSQL, redis-server, the hub, the Gateway and {options.Workers} workers");
    await using var platform = await Platform.StartAsync(options, cancellationToken);
    foreach (var service in platform.Services)
    {
        Console.WriteLine($"  {service.Name}: pid {service.ProcessId} at {service.Address}");
    }

    var postmaster = platform.Postgres.ProcessId;
    WatchedProcess[] watched =
    [
        .. platform.Services.Select(s => new WatchedProcess(s.Name, s.ProcessId, WithChildren: false, HoldsRetainedData: false)),
        new("PostgreSQL", postmaster, WithChildren: true, HoldsRetainedData: true),
        new("redis-server", platform.Redis.ProcessId, WithChildren: false, HoldsRetainedData: true),
        new("load test", Environment.ProcessId, WithChildren: false, HoldsRetainedData: false),
    ];

    var counters = new LoadCounters();
    var clients = new LoadClient[options.Clients];
    await Parallel.ForAsync(0, options.Clients, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        clients[i] = await LoadClient.ConnectAsync(i, platform.Gateway.Address, platform.EventsUrl, counters, ct));
    Console.WriteLine($"{options.Clients} clients connected to the hub; {options.Rate.ToString(CultureInfo.InvariantCulture)} runs/s for {options.Duration.TotalSeconds} s (warm-up {options.Warmup.TotalSeconds} s, rising from 0 over the first {options.Ramp.TotalSeconds} s)");

    using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    var receiving = clients.Select(client => Task.Run(() => client.ReceiveAsync(stopReceiving.Token), CancellationToken.None)).ToArray();
    var sampler = new ResourceSampler(watched, options.SampleInterval);
    sampler.Take();
    using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    var sampling = sampler.RunAsync(stopSampling.Token);

    // The measured window starts when the warm-up ends (a sample there) and ends with the schedule (a sample there).
    var arrivals = OpenModelArrivals.RunAsync(clients, options.Rate, options.Duration, options.Warmup, options.Ramp, cancellationToken);
    await Task.Delay(options.Warmup, cancellationToken);
    var windowStart = sampler.Take();
    using var heapSampler = new HeapSampler([.. platform.Services], options.HeapInterval);
    await heapSampler.TakeAsync(cancellationToken);
    using var stopHeapSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    var heapSampling = heapSampler.RunAsync(stopHeapSampling.Token);
    if (options.PgStatements > 0)
    {
        await PgStatements.ResetAsync(platform.Database, cancellationToken);
    }

    var schedule = await arrivals;
    var windowEnd = sampler.Take();
    await stopHeapSampling.CancelAsync();
    await heapSampling;
    await heapSampler.TakeAsync(cancellationToken);
    var statements = options.PgStatements > 0 ? await PgStatements.ReadAsync(platform.Database, options.PgStatements, cancellationToken) : null;
    Console.WriteLine($"arrivals over: {schedule.Arrivals} due, {counters.Accepted} accepted, {counters.Finished} finished; draining (up to {options.Drain.TotalSeconds} s)");

    // Drain: every submit answered and every accepted run's terminal event received, or the drain time is up.
    var drainWatch = Stopwatch.StartNew();
    while (drainWatch.Elapsed < options.Drain && (counters.Submitted < schedule.Arrivals || counters.InFlight > 0 || counters.Finished < counters.Accepted))
    {
        foreach (var service in platform.Services.Where(s => s.HasExited))
        {
            Console.Error.WriteLine($"{service.Name} exited during the test: {service.Output}");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
    }

    Console.WriteLine($"drained in {drainWatch.Elapsed.TotalSeconds:N1} s: {counters.Finished} of {counters.Accepted} accepted runs finished");
    await stopSampling.CancelAsync();
    await sampling;
    var loadAfter = ProcFs.LoadAverage();

    // The truth while the clients still listen: a run PostgreSQL already has finished is owed its terminal event, which
    // gets 10 s more to arrive (it is published right after the final write); a run still Queued or Running is behind.
    var runs = clients.SelectMany(c => c.Runs).ToList();
    var runStatuses = await SourceOfTruth.RunStatusesAsync(platform.Database, [.. runs.Select(r => r.RunId)], cancellationToken);
    var owed = runs.Where(r => runStatuses.GetValueOrDefault(r.RunId) is not (null or "Queued" or "Running")).ToList();
    var grace = Stopwatch.StartNew();
    while (grace.Elapsed < TimeSpan.FromSeconds(10) && owed.Any(r => r.Outcome is null))
    {
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
    }

    await stopReceiving.CancelAsync();
    await Task.WhenAll(receiving);
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    var streamLengths = await SourceOfTruth.EventStreamLengthsAsync(platform.Redis.ConnectionString, [.. runs.Select(r => r.RunId)], cancellationToken);
    var runsByStatus = await SourceOfTruth.RunsByStatusAsync(platform.Database, cancellationToken);
    var verdict = LoadReport.Write(
        new LoadResults(options, schedule, counters, runs, streamLengths, runsByStatus, runStatuses, watched, sampler.Samples, windowStart, windowEnd, loadBefore, loadAfter, statements, heapSampler.Samples),
        Console.Out);
    Console.WriteLine();
    Console.WriteLine(verdict.Clean
        ? "Verdict: every accepted run completed and every event arrived once, in order; no errors."
        : $"Verdict: {verdict.LostRuns} lost runs, {verdict.Unfinished} still queued or running after the drain, {verdict.LostEvents} lost, {verdict.DuplicatedEvents} duplicated, {verdict.OutOfOrderEvents} out-of-order events, {verdict.Errors} errors.");
    Console.WriteLine(verdict.GrowingMemory.Count == 0
        ? "Memory: the live managed heap after a full collection is flat (within 10 %) from the end of the warm-up to the end of the schedule in every service process."
        : $"Memory: grows after warm-up in {string.Join(", ", verdict.GrowingMemory)}.");
    return verdict.Clean ? 0 : 1;
}
