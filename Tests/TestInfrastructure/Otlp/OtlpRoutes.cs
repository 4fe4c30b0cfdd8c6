namespace Observability.TestInfrastructure.Otlp;

/// <summary>Maps request paths to signals for both OTLP transports.</summary>
internal static class OtlpRoutes
{
    public static bool TryMatch(string path, out OtlpSignal signal, out OtlpTransport transport)
    {
        (var found, signal, transport) = path switch
        {
            "/v1/traces" => (true, OtlpSignal.Traces, OtlpTransport.HttpProtobuf),
            "/v1/metrics" => (true, OtlpSignal.Metrics, OtlpTransport.HttpProtobuf),
            "/v1/logs" => (true, OtlpSignal.Logs, OtlpTransport.HttpProtobuf),
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export" => (true, OtlpSignal.Traces, OtlpTransport.Grpc),
            "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export" => (true, OtlpSignal.Metrics, OtlpTransport.Grpc),
            "/opentelemetry.proto.collector.logs.v1.LogsService/Export" => (true, OtlpSignal.Logs, OtlpTransport.Grpc),
            _ => (false, default(OtlpSignal), default(OtlpTransport)),
        };
        return found;
    }

    /// <summary>The <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> value of a transport.</summary>
    public static string ProtocolName(OtlpTransport transport) =>
        transport == OtlpTransport.Grpc ? "grpc" : "http/protobuf";
}
