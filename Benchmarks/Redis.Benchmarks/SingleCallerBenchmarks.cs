using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Observability.Redis.Configuration;
using Observability.Redis.Streams;

namespace Observability.Redis.Benchmarks;

/// <summary>
/// Latency and allocations of one awaited command at a time (BenchmarkDotNet with MemoryDiagnoser):
/// <c>dotnet run -c Release --project Benchmarks/Redis.Benchmarks -- bdn</c>.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
#pragma warning disable CA1001 // BenchmarkDotNet disposes in [GlobalCleanup].
public class SingleCallerBenchmarks
#pragma warning restore CA1001
{
    private static readonly RedisStreamField[] Fields = [new("f", "v")];
    private LocalRedisServer _server = null!;
    private RedisClient _client = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _server = await LocalRedisServer.StartAsync();
        var options = RedisClientOptions.Parse($"127.0.0.1:{_server.Port}");
        options.ServerStatsInterval = TimeSpan.Zero;
        _client = new RedisClient(options);
        await _client.ConnectAsync();
        await _client.SetAsync("key", "xxx");
    }

    private async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark]
    public ValueTask<byte[]?> Get() => _client.GetAsync("key");

    [Benchmark]
    public ValueTask<bool> Set() => _client.SetAsync("key", "xxx");

    [Benchmark]
    public ValueTask<string?> XAdd() => _client.XAddAsync("bench:stream", Fields, maxLength: 10_000);

    /// <summary>In-process (no generated project to build) and short: the machine is shared.</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig()
        {
            AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithInvocationCount(20_000)
                .WithToolchain(InProcessEmitToolchain.Instance));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }
}
