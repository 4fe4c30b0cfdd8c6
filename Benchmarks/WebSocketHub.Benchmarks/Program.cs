using System.Globalization;
using Microsoft.Extensions.Options;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;
using Observability.WebSocketHub.Benchmarks;
using Observability.WebSocketHub.Benchmarks.SignalR;
using Observability.Workflows.Messaging;
using Observability.Workflows.Tickets;

// Deliveries per second from one hub process to many WebSocket clients: every client subscribes to one of
// --sessions sessions, so each published event fans out to clients/sessions connections. The publisher keeps at
// most --window events per session undelivered, i.e. it publishes as fast as the hub delivers. With
// --signalr-rounds N, the same clients and publisher run against an ASP.NET Core SignalR hub too, alternating
// ours/SignalR N times. See README.md.
if (args is [SignalRServer.Command, ..])
{
    await SignalRServer.RunAsync(args[1..]);
    return 0;
}

var clients = Option("--clients", 1000);
var sessions = Option("--sessions", 1);
var seconds = Option("--seconds", 10);
var window = Option("--window", 200);
var payloadBytes = Option("--payload", 200);
var signalRRounds = Option("--signalr-rounds", 0);
const string SigningKey = "websockethub-benchmark-signing-key-0123456789";

Console.WriteLine($"clients={clients} sessions={sessions} seconds={seconds} window={window} payload={payloadBytes}B signalr-rounds={signalRRounds}, {Environment.ProcessorCount} cores, load {ProcFs.LoadAverage()}");
await using var redis = await RedisServer.StartAsync();
// The hub reads a run's state from PostgreSQL only for a truncated frame (never here: sessions followed from their start),
// but it needs its connection string to start.
await using var postgres = await PostgresServer.StartAsync();
var database = await postgres.CreateDatabaseAsync();
await using var hub = await ServerUnderTest.StartHubAsync(redis.ConnectionString, SigningKey, database);
await using var signalR = signalRRounds > 0 ? await ServerUnderTest.StartSignalRAsync(redis.ConnectionString, SigningKey) : null;
var signer = new EventTicketSigner(Options.Create(new EventTicketOptions { SigningKey = SigningKey }), TimeProvider.System);

var ours = new BenchmarkTarget("ours", hub.ProcessId, SessionIds("ours"), new DeliveryCounter());
var receivers = new List<Func<CancellationToken, Task>>();
var connections = new List<IAsyncDisposable>();
await ConnectAsync(ours, async (sessionId, ct) =>
{
    var subscriber = await Subscriber.ConnectAsync(new Uri(hub.BaseUri, "/ws"), sessionId, signer.IssueForSession(sessionId), ours.Counter, ct).ConfigureAwait(false);
    return (subscriber.RunAsync, subscriber);
});
BenchmarkTarget? peer = null;
if (signalR is not null)
{
    var target = peer = new BenchmarkTarget("SignalR", signalR.ProcessId, SessionIds("signalr"), new DeliveryCounter());
    await ConnectAsync(target, async (sessionId, ct) =>
    {
        var subscriber = await SignalRSubscriber.ConnectAsync(signalR.BaseUri, sessionId, signer.IssueForSession(sessionId), target.Counter, ct).ConfigureAwait(false);
        return (subscriber.RunAsync, subscriber);
    });
}

using var stop = new CancellationTokenSource();
var receiving = receivers.Select(receive => Task.Run(() => receive(stop.Token))).ToArray();
await using var publisherClient = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
var log = new WorkflowEventLog(publisherClient);
var payload = System.Text.Json.JsonSerializer.SerializeToElement(new string('x', payloadBytes));
var results = new List<RoundResult>();
for (var round = 0; round < Math.Max(1, signalRRounds); round++)
{
    foreach (var target in peer is null ? new[] { ours } : new[] { ours, peer })
    {
        var result = await Round.RunAsync(target, log, clients / sessions, window, payload, seconds, redis.ProcessId);
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            round {round + 1}, {result.Server}:
              deliveries/s        {result.DeliveriesPerSecond,12:N0}   ({result.Deliveries:N0} in {result.Seconds:0.0} s; {result.Lost:N0} owed deliveries missing 10 s after the round)
              events published/s  {result.Events / result.Seconds,12:N0}   (fan-out {clients / sessions} clients per event)
              server CPU          {result.ServerCpuSeconds / result.Seconds * 100,12:0}%  of one core, {result.ServerMicrosecondsPerDelivery:0.00} µs per delivery; peak RSS {result.ServerPeakResidentBytes / 1048576.0:0} MiB
              clients+publisher   {result.ClientsCpuSeconds / result.Seconds * 100,12:0}%  of one core (this process); redis-server {result.RedisCpuSeconds / result.Seconds * 100:0}%
              load average        {result.LoadAverage}
            """));
    }
}

await stop.CancelAsync();
await Task.WhenAll(receiving);
foreach (var connection in connections)
{
    await connection.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine("| round | server | deliveries/s | server CPU (% of a core) | server µs per delivery | peak RSS (MiB) | clients + publisher (% of a core) | lost | load (1 min) |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (var i = 0; i < results.Count; i++)
{
    var r = results[i];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {i / (peer is null ? 1 : 2) + 1} | {r.Server} | {r.DeliveriesPerSecond:N0} | {r.ServerCpuSeconds / r.Seconds * 100:0} | {r.ServerMicrosecondsPerDelivery:0.00} | {r.ServerPeakResidentBytes / 1048576.0:0} | {r.ClientsCpuSeconds / r.Seconds * 100:0} | {r.Lost:N0} | {r.LoadAverage.Split(' ')[0]} |"));
}

if (peer is not null)
{
    var ourRounds = results.Where(r => r.Server == ours.Name).ToList();
    var peerRounds = results.Where(r => r.Server == peer.Name).ToList();
    var throughputRatio = ourRounds.Sum(r => r.Deliveries) / ourRounds.Sum(r => r.Seconds) / (peerRounds.Sum(r => r.Deliveries) / peerRounds.Sum(r => r.Seconds));
    var cpuRatio = ourRounds.Sum(r => r.ServerCpuSeconds) / ourRounds.Sum(r => r.Deliveries) / (peerRounds.Sum(r => r.ServerCpuSeconds) / peerRounds.Sum(r => r.Deliveries));
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Over the {signalRRounds} rounds: ours delivers {throughputRatio:0.00}× SignalR's deliveries/s at {cpuRatio:0.00}× its server CPU per delivery."));
}

return results.Any(r => r.Lost != 0) ? 1 : 0;

async Task ConnectAsync(BenchmarkTarget target, Func<string, CancellationToken, Task<(Func<CancellationToken, Task> Receive, IAsyncDisposable Connection)>> connect)
{
    var watch = System.Diagnostics.Stopwatch.StartNew();
    var connected = new (Func<CancellationToken, Task> Receive, IAsyncDisposable Connection)[clients];
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
    await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = timeout.Token }, async (i, ct) =>
        connected[i] = await connect(target.SessionIds[i % sessions], ct).ConfigureAwait(false));
    receivers.AddRange(connected.Select(c => c.Receive));
    connections.AddRange(connected.Select(c => c.Connection));
    Console.WriteLine($"{clients} clients connected to {target.Name} and subscribed in {watch.Elapsed.TotalSeconds:0.0} s; server RSS {ProcFs.Memory(target.ProcessId).Rss / 1048576.0:0} MiB");
}

string[] SessionIds(string server) => [.. Enumerable.Range(0, sessions).Select(i => $"bench-{server}-{i}-{Guid.NewGuid():N}")];

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
