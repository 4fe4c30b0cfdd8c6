using System.Buffers.Binary;
using System.IO.Compression;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>Turns a request body into the protobuf message: gRPC length-prefix framing and gzip undone.</summary>
internal static class OtlpBodyReader
{
    /// <summary>A gRPC message with no fields: compressed flag 0, length 0.</summary>
    public static readonly byte[] EmptyGrpcMessage = new byte[5];

    public static byte[] ReadPayload(byte[] body, OtlpTransport transport, string? encoding) =>
        transport == OtlpTransport.Grpc ? Unframe(body, encoding) : Decompress(body, encoding);

    private static byte[] Unframe(byte[] body, string? encoding)
    {
        // A unary gRPC request carries one length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length.
        if (body.Length < 5)
        {
            throw new InvalidDataException($"gRPC body of {body.Length} bytes is shorter than the 5-byte frame header.");
        }

        var compressed = body[0] == 1;
        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4));
        if (length != (uint)(body.Length - 5))
        {
            throw new InvalidDataException($"gRPC frame says {length} bytes but {body.Length - 5} follow.");
        }

        var message = body[5..];
        return compressed ? Decompress(message, encoding ?? "gzip") : message;
    }

    private static byte[] Decompress(byte[] body, string? encoding)
    {
        if (string.IsNullOrEmpty(encoding) || encoding is "identity")
        {
            return body;
        }

        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Unsupported content encoding '{encoding}'.");
        }

        using var input = new MemoryStream(body);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
