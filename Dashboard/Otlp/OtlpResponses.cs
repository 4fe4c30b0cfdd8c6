using System.Text.Json;

namespace Observability.Dashboard.Otlp;

/// <summary>Builds OTLP response bodies in the request's encoding: export responses and <c>google.rpc.Status</c> errors.</summary>
internal static class OtlpResponses
{
    public const string ProtobufContentType = "application/x-protobuf";
    public const string JsonContentType = "application/json";

    /// <summary>gRPC status codes used in <c>google.rpc.Status.code</c>.</summary>
    public const int InvalidArgument = 3;
    public const int ResourceExhausted = 8;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    /// <summary>The <c>Export*ServiceResponse</c>: empty, or with <c>partial_success</c> when items were rejected.</summary>
    public static byte[] Export(OtlpSignal signal, OtlpFormat format, IngestResult result)
    {
        if (format == OtlpFormat.Json)
        {
            if (result.Rejected == 0)
            {
                return "{}"u8.ToArray();
            }

            var rejectedName = signal switch
            {
                OtlpSignal.Traces => "rejectedSpans",
                OtlpSignal.Logs => "rejectedLogRecords",
                _ => "rejectedDataPoints",
            };
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("partialSuccess");
                writer.WriteString(rejectedName, result.Rejected.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("errorMessage", result.RejectionMessage ?? string.Empty);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return stream.ToArray();
        }

        if (result.Rejected == 0)
        {
            return [];
        }

        var partial = new ProtoWriter().Varint(1, (ulong)result.Rejected).String(2, result.RejectionMessage ?? string.Empty);
        return new ProtoWriter().Bytes(1, partial.WrittenMemory.Span).WrittenMemory.ToArray();
    }

    /// <summary>A <c>google.rpc.Status</c> with a gRPC code and message.</summary>
    public static byte[] Status(OtlpFormat format, int code, string message)
    {
        if (format == OtlpFormat.Json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteNumber("code", code);
                writer.WriteString("message", message);
                writer.WriteEndObject();
            }

            return stream.ToArray();
        }

        return new ProtoWriter().Varint(1, (ulong)code).String(2, message).WrittenMemory.ToArray();
    }
}
