using System.Net;
using System.Text;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;

namespace Observability.Dashboard.Tests;

/// <summary>
/// Bounded fuzzing: mutated real payloads either decode or fail with <see cref="OtlpDecodeException"/> (400),
/// never another exception, never a hang, and the store stays within its caps.
/// </summary>
public sealed class FuzzTests
{
    private static readonly byte[] s_traces = ExporterPayloads.Traces(50);

    [Fact]
    public void Ingest_MutatedProtobuf_OnlyDecodesOrFailsCleanly()
    {
        using var pipeline = new InProcessIngestor(SmallCaps());
        var random = new Random(20261122);
        var outcomes = new int[2];
        for (var i = 0; i < 6_000; i++)
        {
            var mutated = Mutate(s_traces, random);
            foreach (var signal in new[] { OtlpSignal.Traces, OtlpSignal.Logs, OtlpSignal.Metrics })
            {
                outcomes[TryIngest(pipeline.Ingestor, signal, OtlpFormat.Protobuf, mutated) ? 0 : 1]++;
            }
        }

        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"fuzzing must hit both outcomes: {outcomes[0]} decoded, {outcomes[1]} refused");
        AssertWithinCaps(pipeline);
    }

    [Fact]
    public void Ingest_MutatedJson_OnlyDecodesOrFailsCleanly()
    {
        using var pipeline = new InProcessIngestor(SmallCaps());
        var random = new Random(7);
        var seeds = new[] { (OtlpSignal.Traces, OtlpJsonPayloads.Traces), (OtlpSignal.Logs, OtlpJsonPayloads.Logs), (OtlpSignal.Metrics, OtlpJsonPayloads.Metrics) };
        var outcomes = new int[2];
        for (var i = 0; i < 3_000; i++)
        {
            var (signal, json) = seeds[i % seeds.Length];
            var mutated = Mutate(Encoding.UTF8.GetBytes(json), random);
            outcomes[TryIngest(pipeline.Ingestor, signal, OtlpFormat.Json, mutated) ? 0 : 1]++;
        }

        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"fuzzing must hit both outcomes: {outcomes[0]} decoded, {outcomes[1]} refused");
        AssertWithinCaps(pipeline);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Export_MutatedBodiesOverHttp_Answer200Or400AndServerStaysHealthy()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            using var response = await client.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(Mutate(s_traces, random)), timeout.Token);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"mutation {i} answered {(int)response.StatusCode}");
        }

        using var valid = await client.PostAsync("/v1/traces", ReceiverStatusTests.Protobuf(s_traces), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    private static bool TryIngest(OtlpIngestor ingestor, OtlpSignal signal, OtlpFormat format, byte[] payload)
    {
        try
        {
            ingestor.Ingest(signal, format, payload);
            return true;
        }
        catch (OtlpDecodeException)
        {
            return false;
        }
    }

    private static void AssertWithinCaps(InProcessIngestor pipeline)
    {
        Assert.InRange(pipeline.Traces.Count, 0, 200);
        Assert.InRange(pipeline.Logs.Count, 0, 200);
        Assert.InRange(pipeline.Registry.All().Count, 0, 20);
    }

    private static StorageOptions SmallCaps() => new()
    {
        DataDirectory = "",
        MaxTraces = 200,
        MaxLogs = 200,
        MaxResources = 20,
        MaxPointsPerSeries = 10,
        MaxSeriesPerResource = 50,
        MaxAttributeLength = 64,
        MaxAttributeCount = 16,
    };

    /// <summary>One to four random edits: flip a bit, overwrite, insert or delete a byte, truncate, or duplicate a slice.</summary>
    internal static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var length = Math.Min(random.Next(1, 64), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }
}
