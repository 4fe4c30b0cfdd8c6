namespace Observability.TestInfrastructure.Otlp;

/// <summary>The two OTLP transports, named by their <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> value.</summary>
public enum OtlpTransport
{
    /// <summary><c>grpc</c>: OTLP/gRPC over HTTP/2 cleartext.</summary>
    Grpc,

    /// <summary><c>http/protobuf</c>: OTLP/HTTP with binary protobuf bodies.</summary>
    HttpProtobuf,
}
