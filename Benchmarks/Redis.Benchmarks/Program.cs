using System.Globalization;
using BenchmarkDotNet.Running;
using Observability.Redis;
using Observability.Redis.Benchmarks;
using Observability.Redis.Configuration;
using Observability.Redis.Streams;

// Usage:
//   dotnet run -c Release --project Benchmarks/Redis.Benchmarks [-- --port 6379] [--seconds 3] [--requests 200000]
//     throughput of GET, SET, XADD with 1 and 64 callers, next to redis-benchmark on the same server
//   dotnet run -c Release --project Benchmarks/Redis.Benchmarks -- bdn
//     BenchmarkDotNet (MemoryDiagnoser) for one caller
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkRunner.Run<SingleCallerBenchmarks>(args: args[1..]);
    return 0;
}

var port = Option("--port", 0);
var seconds = Option("--seconds", 3);
var requests = Option("--requests", 200_000);
await using var ownServer = port == 0 ? await LocalRedisServer.StartAsync() : null;
port = ownServer?.Port ?? port;

var options = RedisClientOptions.Parse($"127.0.0.1:{port}");
options.ServerStatsInterval = TimeSpan.Zero;
await using var client = new RedisClient(options);
await client.ConnectAsync();
await client.SetAsync("key:__rand_int__", "xxx");
RedisStreamField[] fields = [new("f", "v")];

var rows = new List<string>
{
    "| Command | Callers | Ours (ops/s) | redis-benchmark (ops/s) | Ratio | Bytes allocated per op (ours) |",
    "|---|---:|---:|---:|---:|---:|",
};
foreach (var callers in (int[])[1, 64])
{
    await CompareAsync("GET", () => client.GetAsync("key:__rand_int__"), callers, ["-t", "get"]);
    await CompareAsync("SET", () => client.SetAsync("key:__rand_int__", "xxx"), callers, ["-t", "set"]);
    await CompareAsync("XADD", () => client.XAddAsync("bench:stream", fields, maxLength: 10_000), callers, ["XADD", "bench:stream", "MAXLEN", "~", "10000", "*", "f", "v"]);
}

Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, rows.OrderBy(r => r.StartsWith("| XADD", StringComparison.Ordinal)).ThenBy(r => r.StartsWith("| SET", StringComparison.Ordinal))));
return 0;

async Task CompareAsync<T>(string name, Func<ValueTask<T>> operation, int callers, string[] tool)
{
    var (ours, bytesPerOp) = await ThroughputRun.MeasureAsync(operation, callers, TimeSpan.FromSeconds(seconds));
    var theirs = await RedisBenchmarkTool.RunAsync(port, callers, callers == 1 ? requests / 4 : requests, tool);
    var row = string.Create(CultureInfo.InvariantCulture, $"| {name} | {callers} | {ours:N0} | {theirs:N0} | {ours / theirs:0.00} | {bytesPerOp:0.0} |");
    rows.Add(row);
    Console.WriteLine(row);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
