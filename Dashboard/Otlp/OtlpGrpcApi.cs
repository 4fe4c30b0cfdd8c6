using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Observability.Dashboard.Authentication;

namespace Observability.Dashboard.Otlp;

/// <summary>
/// OTLP/gRPC receiver without a gRPC library: unary <c>Export</c> on the three standard service paths. A request
/// is one length-prefixed message (1 byte compressed flag, 4 bytes big-endian length); the answer is one
/// message and the status in the <c>grpc-status</c>/<c>grpc-message</c> trailers. Needs an HTTP/2 endpoint
/// (for cleartext: a Kestrel endpoint with <c>Protocols: Http2</c>).
/// </summary>
internal static class OtlpGrpcApi
{
    public const string TracePath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    public const string MetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    public const string LogsPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

    private const int Ok = 0;
    private const int Internal = 13;
    private const int Unimplemented = 12;

    public static IEndpointConventionBuilder MapOtlpGrpcApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).DisableAntiforgery();
        group.MapPost(TracePath, (HttpContext context, GrpcExportServices services) => ExportAsync(OtlpSignal.Traces, context, services));
        group.MapPost(MetricsPath, (HttpContext context, GrpcExportServices services) => ExportAsync(OtlpSignal.Metrics, context, services));
        group.MapPost(LogsPath, (HttpContext context, GrpcExportServices services) => ExportAsync(OtlpSignal.Logs, context, services));
        return group;
    }

    private static async Task ExportAsync(OtlpSignal signal, HttpContext context, GrpcExportServices services)
    {
        var response = context.Response;
        if (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        if (!services.ApiKeys.IsAuthorized(context))
        {
            await FinishAsync(response, OtlpResponses.Unauthenticated, $"A valid {OtlpApiKeyValidator.HeaderName} header is required.").ConfigureAwait(false);
            return;
        }

        if (!services.Limiter.TryEnter())
        {
            await FinishAsync(response, OtlpResponses.Unavailable, "Too many exports in progress; retry later.").ConfigureAwait(false);
            return;
        }

        try
        {
            var max = services.Options.Value.MaxRequestBodyBytes;
            var (status, body) = await RequestBodyReader.ReadAsync(context.Request.Body, null, null, max + 5, context.RequestAborted).ConfigureAwait(false);
            if (status != RequestBodyStatus.Ok)
            {
                await FinishAsync(response, OtlpResponses.ResourceExhausted, $"The export is larger than {max} bytes.").ConfigureAwait(false);
                return;
            }

            using (body)
            {
                var (code, message, payload) = Unframe(body!.Memory, context.Request.Headers["grpc-encoding"].ToString(), max);
                if (code != Ok)
                {
                    await FinishAsync(response, code, message!).ConfigureAwait(false);
                    return;
                }

                IngestResult result;
                try
                {
                    result = services.Ingestor.Ingest(signal, OtlpFormat.Protobuf, payload);
                }
                catch (OtlpDecodeException exception)
                {
                    await FinishAsync(response, OtlpResponses.InvalidArgument, exception.Message).ConfigureAwait(false);
                    return;
                }

                var reply = OtlpResponses.Export(signal, OtlpFormat.Protobuf, result);
                var frame = new byte[5 + reply.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)reply.Length);
                reply.CopyTo(frame, 5);
                await response.Body.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
                await FinishAsync(response, Ok, null).ConfigureAwait(false);
            }
        }
        finally
        {
            services.Limiter.Exit();
        }
    }

    private static (int Code, string? Message, ReadOnlyMemory<byte> Payload) Unframe(ReadOnlyMemory<byte> body, string encoding, int max)
    {
        if (body.Length < 5)
        {
            return (Internal, "The request does not hold a complete gRPC message.", default);
        }

        var compressed = body.Span[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(body.Span[1..]);
        if (compressed > 1 || length != body.Length - 5)
        {
            return (Internal, "The request must hold exactly one gRPC message.", default);
        }

        var payload = body[5..];
        if (compressed == 0)
        {
            return (Ok, null, payload);
        }

        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            return (Unimplemented, "Only gzip message compression is supported.", default);
        }

        try
        {
            using var input = new MemoryStream(payload.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > max)
                {
                    return (OtlpResponses.ResourceExhausted, $"The export is larger than {max} bytes.", default);
                }
            }

            return (Ok, null, output.ToArray());
        }
        catch (InvalidDataException)
        {
            return (Internal, "The message is not valid gzip.", default);
        }
    }

    private static async Task FinishAsync(HttpResponse response, int code, string? message)
    {
        if (response.SupportsTrailers())
        {
            response.AppendTrailer("grpc-status", code.ToString(CultureInfo.InvariantCulture));
            if (message is not null)
            {
                response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
            }
        }
        else
        {
            response.Headers["grpc-status"] = code.ToString(CultureInfo.InvariantCulture);
            if (message is not null)
            {
                response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            }
        }

        await response.CompleteAsync().ConfigureAwait(false);
    }
}
