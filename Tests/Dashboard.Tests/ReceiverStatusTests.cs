using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Observability.Dashboard.Tests;

/// <summary>The OTLP/HTTP receiver answers with the status codes and bodies the OTLP specification requires.</summary>
[Trait("Category", "Integration")]
public sealed class ReceiverStatusTests
{
    private static readonly byte[] s_validTraces = ExporterPayloads.Traces(20);

    [Fact]
    public async Task Export_ValidProtobuf_Returns200WithEmptyProtobufResponse()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        using var response = await client.PostAsync("/v1/traces", Protobuf(s_validTraces), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(timeout.Token));
    }

    [Fact]
    public async Task Export_GzipProtobuf_IsDecompressedAndStored()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        using var content = Protobuf(Gzip(s_validTraces));
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await client.PostAsync("/v1/traces", content, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.GetService<Storage.TraceStore>().Count);
    }

    [Fact]
    public async Task Export_TruncatedProtobuf_Returns400WithRpcStatus()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        using var response = await client.PostAsync("/v1/traces", Protobuf(s_validTraces[..(s_validTraces.Length / 2)]), timeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var (code, message) = RpcStatus.Parse(await response.Content.ReadAsByteArrayAsync(timeout.Token));
        Assert.Equal(3, code);
        Assert.Contains("Truncated", message, StringComparison.Ordinal);
        Assert.Equal(0, server.GetService<Storage.TraceStore>().Count);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"resourceSpans\": 5}")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": 7}]}]}]}")]
    [InlineData("[1,2,3]")]
    public async Task Export_MalformedJson_Returns400WithJsonStatus(string json)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        using var response = await ApiJson.PostJsonAsync(client, "/v1/traces", json, timeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement;
        Assert.Equal(3, status.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Export_DeeplyNestedAttributes_Returns400()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        var nested = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            nested.Append("{\"arrayValue\":{\"values\":[");
        }

        nested.Append("{\"stringValue\":\"deep\"}");
        for (var i = 0; i < 200; i++)
        {
            nested.Append("]}}");
        }

        var json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + OtlpJsonPayloads.TraceId + "\",\"spanId\":\"" +
            OtlpJsonPayloads.RootSpanId + "\",\"attributes\":[{\"key\":\"deep\",\"value\":" + nested + "}]}]}]}]}";
        using var jsonResponse = await ApiJson.PostJsonAsync(client, "/v1/traces", json, timeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, jsonResponse.StatusCode);

        using var protoResponse = await client.PostAsync("/v1/traces", Protobuf(NestedProtobufSpan(200)), timeout.Token);
        Assert.Equal(HttpStatusCode.BadRequest, protoResponse.StatusCode);
        Assert.Contains("nested", RpcStatus.Parse(await protoResponse.Content.ReadAsByteArrayAsync(timeout.Token)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OverSizeLimit_Returns413ForPlainAndGzipBodies()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start(new Dictionary<string, string?> { ["Dashboard:Otlp:MaxRequestBodyBytes"] = "65536" });
        using var client = server.CreateOtlpClient();
        var large = new byte[200_000];
        using var plain = await client.PostAsync("/v1/traces", Protobuf(large), timeout.Token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);
        Assert.Equal(8, RpcStatus.Parse(await plain.Content.ReadAsByteArrayAsync(timeout.Token)).Code);

        using var bomb = Protobuf(Gzip(new byte[50_000_000]));
        bomb.Headers.ContentEncoding.Add("gzip");
        using var bombResponse = await client.PostAsync("/v1/traces", bomb, timeout.Token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bombResponse.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("")]
    public async Task Export_UnknownContentType_Returns415(string contentType)
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        using var content = new ByteArrayContent(s_validTraces);
        content.Headers.ContentType = contentType.Length == 0 ? null : new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync("/v1/traces", content, timeout.Token);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Export_UnknownContentEncoding_Returns415()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start();
        using var client = server.CreateOtlpClient();
        using var content = Protobuf(s_validTraces);
        content.Headers.ContentEncoding.Add("br");
        using var response = await client.PostAsync("/v1/traces", content, timeout.Token);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Export_OverConcurrencyLimit_Returns503WithRetryAfter()
    {
        using var timeout = TestTimeout.Start();
        await using var server = DashboardServer.Start(new Dictionary<string, string?> { ["Dashboard:Otlp:MaxConcurrentExports"] = "1" });
        using var client = server.CreateOtlpClient();
        // A raw connection sends the headers and one byte of the body, then stalls: that export holds the only slot.
        using var holder = new TcpClient();
        await holder.ConnectAsync(IPAddress.Loopback, server.HttpPort, timeout.Token);
        var stream = holder.GetStream();
        var head = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n" +
            $"x-otlp-api-key: {DashboardServer.PrimaryKey}\r\nContent-Length: {s_validTraces.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(s_validTraces[..1]).ToArray(), timeout.Token);

        // Wait until the server has given the stalled export the only slot, then any other export is refused.
        var limiter = server.GetService<Otlp.ExportLimiter>();
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(15));
            while (limiter.InUse == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        var rejected = await client.PostAsync("/v1/traces", Protobuf(s_validTraces), timeout.Token);
        using (rejected)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), rejected.Headers.RetryAfter?.Delta);
            Assert.Equal(14, RpcStatus.Parse(await rejected.Content.ReadAsByteArrayAsync(timeout.Token)).Code);
        }

        await stream.WriteAsync(s_validTraces.AsMemory(1), timeout.Token);
        var reply = new byte[64];
        var read = await stream.ReadAtLeastAsync(reply, 12, throwOnEndOfStream: true, timeout.Token);
        Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(reply, 0, read), StringComparison.Ordinal);
    }

    internal static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>ExportTraceServiceRequest with one span whose attribute value is an array nested <paramref name="depth"/> deep.</summary>
    private static byte[] NestedProtobufSpan(int depth)
    {
        byte[] value = [0x0A, 0x01, (byte)'x']; // AnyValue { string_value = "x" }
        for (var i = 0; i < depth; i++)
        {
            var array = Field(1, value);     // ArrayValue { values = value }
            value = Field(5, array);         // AnyValue { array_value = array }
        }

        var keyValue = Field(1, "k"u8.ToArray()).Concat(Field(2, value)).ToArray();
        var span = Field(1, Convert.FromHexString(OtlpJsonPayloads.TraceId))
            .Concat(Field(2, Convert.FromHexString(OtlpJsonPayloads.RootSpanId)))
            .Concat(Field(9, keyValue)).ToArray();
        return Field(1, Field(2, Field(2, span)));
    }

    private static byte[] Field(int number, byte[] payload)
    {
        var bytes = new List<byte> { (byte)((number << 3) | 2) };
        var length = (uint)payload.Length;
        while (length >= 0x80)
        {
            bytes.Add((byte)(length | 0x80));
            length >>= 7;
        }

        bytes.Add((byte)length);
        bytes.AddRange(payload);
        return [.. bytes];
    }
}
