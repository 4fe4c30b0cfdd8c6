namespace Observability.Dashboard.Otlp;

/// <summary>OTLP payload encodings. The numbers are persisted in journal segments: never renumber.</summary>
internal enum OtlpFormat : byte
{
    /// <summary><c>application/x-protobuf</c> (and gRPC).</summary>
    Protobuf = 1,

    /// <summary><c>application/json</c>, the OTLP/JSON mapping.</summary>
    Json = 2,
}
