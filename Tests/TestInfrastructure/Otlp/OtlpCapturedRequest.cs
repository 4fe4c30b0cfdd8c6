using System.Text;

namespace Observability.TestInfrastructure.Otlp;

/// <summary>One export request exactly as the receiver saw it.</summary>
public sealed class OtlpCapturedRequest
{
    /// <summary>Which signal the request exported.</summary>
    public required OtlpSignal Signal { get; init; }

    /// <summary>Which transport carried it.</summary>
    public required OtlpTransport Transport { get; init; }

    /// <summary>The request path, such as <c>/v1/traces</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The HTTP protocol, such as <c>HTTP/2</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The request headers (case-insensitive names; repeated values joined with a comma).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The request body bytes as they arrived on the wire (gRPC framing and compression included).</summary>
    public required ReadOnlyMemory<byte> RawBody { get; init; }

    /// <summary>The protobuf export request message: the body without gRPC framing, decompressed.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>True when the UTF-8 bytes of <paramref name="text"/> occur in the raw body or the payload.</summary>
    public bool ContainsText(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var needle = Encoding.UTF8.GetBytes(text);
        return RawBody.Span.IndexOf(needle) >= 0 || Payload.Span.IndexOf(needle) >= 0;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Transport} {Signal} {Path} ({RawBody.Length} bytes)";
}
