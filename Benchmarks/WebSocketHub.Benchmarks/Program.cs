using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Benchmarks;
using Observability.Workflows.Messaging;
using Observability.Workflows.Tickets;

// Deliveries per second from one hub process to many WebSocket clients: every client subscribes to one of
// --sessions sessions, so each published event fans out to clients/sessions connections. The publisher keeps at
// most --window events per session undelivered, i.e. it publishes as fast as the hub delivers.
var clients = Option("--clients", 1000);
var sessions = Option("--sessions", 1);
var seconds = Option("--seconds", 10);
var window = Option("--window", 200);
var payloadBytes = Option("--payload", 200);
const string SigningKey = "websockethub-benchmark-signing-key-0123456789";

Console.WriteLine($"clients={clients} sessions={sessions} seconds={seconds} window={window} payload={payloadBytes}B, {Environment.ProcessorCount} cores, load {LoadAverage()}");
await using var redis = await RedisServer.StartAsync();
// The hub reads a run's state from PostgreSQL only for a truncated frame (never here: sessions followed from their start),
// but it needs its connection string to start.
await using var postgres = await PostgresServer.StartAsync();
var database = await postgres.CreateDatabaseAsync();
await using var hub = await HubUnderTest.StartAsync(redis.ConnectionString, SigningKey, new Dictionary<string, string> { ["ConnectionStrings__workflows"] = database });
var signer = new EventTicketSigner(Options.Create(new EventTicketOptions { SigningKey = SigningKey }), TimeProvider.System);
var sessionIds = Enumerable.Range(0, sessions).Select(i => $"bench-{i}-{Guid.NewGuid():N}").ToArray();

var counter = new DeliveryCounter();
var subscribers = new Subscriber[clients];
var connectWatch = Stopwatch.StartNew();
using (var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
{
    await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = connectTimeout.Token }, async (i, ct) =>
    {
        var sessionId = sessionIds[i % sessions];
        subscribers[i] = await Subscriber.ConnectAsync(hub.WebSocketUri, sessionId, signer.IssueForSession(sessionId), counter, ct).ConfigureAwait(false);
    });
}

Console.WriteLine($"{clients} clients connected and subscribed in {connectWatch.Elapsed.TotalSeconds:0.0} s; hub RSS {ProcessStats.Memory(hub.ProcessId).Resident / 1048576.0:0} MiB");

using var stop = new CancellationTokenSource();
var receiving = subscribers.Select(subscriber => Task.Run(() => subscriber.RunAsync(stop.Token))).ToArray();
await using var publisherClient = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
var log = new WorkflowEventLog(publisherClient);
var fanOut = clients / sessions;
long published = 0;
var runIds = sessionIds.Select(_ => Guid.NewGuid()).ToArray();
var payload = System.Text.Json.JsonSerializer.SerializeToElement(new string('x', payloadBytes));
var publishing = Task.Run(async () =>
{
    long sequence = 0;
    while (!stop.IsCancellationRequested)
    {
        if ((published * fanOut) - counter.Total >= (long)window * sessions * fanOut)
        {
            await Task.Delay(1).ConfigureAwait(false);
            continue;
        }

        var index = (int)(published % sessions);
        sequence++;
        var workflowEvent = new WorkflowEvent(Guid.NewGuid(), runIds[index], sequence, WorkflowEventType.StepCompleted, DateTimeOffset.UtcNow, payload);
        await log.AppendAsync(sessionIds[index], workflowEvent, null, CancellationToken.None).ConfigureAwait(false);
        Interlocked.Increment(ref published);
    }
});

// Warm-up, then the measured window.
await Task.Delay(TimeSpan.FromSeconds(2));
var startDeliveries = counter.Total;
var startPublished = Interlocked.Read(ref published);
var startHubCpu = ProcessStats.CpuTime(hub.ProcessId);
var startOwnCpu = Process.GetCurrentProcess().TotalProcessorTime;
var watch = Stopwatch.StartNew();
long peakResident = 0;
for (var i = 0; i < seconds * 4; i++)
{
    await Task.Delay(250);
    peakResident = Math.Max(peakResident, ProcessStats.Memory(hub.ProcessId).Resident);
}

var elapsed = watch.Elapsed.TotalSeconds;
var deliveries = counter.Total - startDeliveries;
var events = Interlocked.Read(ref published) - startPublished;
var hubCpu = (ProcessStats.CpuTime(hub.ProcessId) - startHubCpu).TotalSeconds / elapsed;
var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - startOwnCpu).TotalSeconds / elapsed;
var memory = ProcessStats.Memory(hub.ProcessId);
var load = LoadAverage();
await stop.CancelAsync();
await publishing;
await Task.WhenAll(receiving);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    deliveries/s        {deliveries / elapsed,12:N0}   ({deliveries:N0} in {elapsed:0.0} s)
    events published/s  {events / elapsed,12:N0}   (fan-out {fanOut} clients per event)
    hub CPU             {hub.ProcessId,12}   {hubCpu * 100:0}% of one core
    hub memory          {memory.Resident / 1048576.0,12:0} MiB resident (peak during run {peakResident / 1048576.0:0} MiB, process peak {memory.Peak / 1048576.0:0} MiB)
    clients+publisher   {ownCpu * 100,12:0}% of one core (this process)
    load average        {load}
    """));

foreach (var subscriber in subscribers)
{
    await subscriber.DisposeAsync();
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
