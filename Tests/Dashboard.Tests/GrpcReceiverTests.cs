using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Observability.Dashboard.Tests;

/// <summary>The gRPC receiver's framing and status trailers, checked with a plain HTTP/2 client.</summary>
[Trait("Category", "Integration")]
public sealed class GrpcReceiverTests
{
    private const string TracePath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private static readonly byte[] s_traces = ExporterPayloads.Traces(10);

    [Fact]
    public async Task Export_ValidMessage_ReturnsStatusOkAndEmptyResponse()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        var (response, trailers, body) = await CallAsync(server, Frame(s_traces), DashboardServer.PrimaryKey, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response);
        Assert.Equal("0", trailers.GetValues("grpc-status").Single());
        Assert.Equal(new byte[5], body);
        Assert.Equal(1, server.GetService<Storage.TraceStore>().Count);
    }

    [Fact]
    public async Task Export_WrongApiKey_ReturnsUnauthenticated()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        var (_, trailers, _) = await CallAsync(server, Frame(s_traces), "wrong", timeout.Token);
        Assert.Equal("16", trailers.GetValues("grpc-status").Single());
        Assert.Equal(0, server.GetService<Storage.TraceStore>().Count);
    }

    [Fact]
    public async Task Export_TruncatedMessage_ReturnsInvalidArgument()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        var (_, trailers, _) = await CallAsync(server, Frame(s_traces[..(s_traces.Length - 3)]), DashboardServer.PrimaryKey, timeout.Token);
        Assert.Equal("3", trailers.GetValues("grpc-status").Single());
        Assert.Contains("Truncated", Uri.UnescapeDataString(trailers.GetValues("grpc-message").Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_BadFraming_ReturnsInternal()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        var frame = Frame(s_traces);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)s_traces.Length + 10);
        var (_, trailers, _) = await CallAsync(server, frame, DashboardServer.PrimaryKey, timeout.Token);
        Assert.Equal("13", trailers.GetValues("grpc-status").Single());
    }

    [Fact]
    public async Task Export_GzipCompressedMessage_IsAccepted()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        var compressed = ReceiverStatusTests.Gzip(s_traces);
        var frame = Frame(compressed);
        frame[0] = 1;
        var (_, trailers, _) = await CallAsync(server, frame, DashboardServer.PrimaryKey, timeout.Token, grpcEncoding: "gzip");
        Assert.Equal("0", trailers.GetValues("grpc-status").Single());
        Assert.Equal(1, server.GetService<Storage.TraceStore>().Count);
    }

    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<(HttpStatusCode Status, HttpResponseHeaders Trailers, byte[] Body)> CallAsync(
        DashboardServer server, byte[] frame, string apiKey, CancellationToken cancellationToken, string? grpcEncoding = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.GrpcAddress, TracePath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        request.Headers.Add("x-otlp-api-key", apiKey);
        if (grpcEncoding is not null)
        {
            request.Headers.Add("grpc-encoding", grpcEncoding);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return (response.StatusCode, response.TrailingHeaders, body);
    }
}
