namespace Observability.TestInfrastructure.Otlp;

/// <summary>What the OpenTelemetry SDK of a service started by a benchmark does (<see cref="ServiceTelemetry"/>).</summary>
public enum TelemetryMode
{
    /// <summary>Spans and metrics are created (the default sampler) but nothing is exported: no OTLP endpoint.</summary>
    NoExport,

    /// <summary><c>OTEL_SDK_DISABLED=true</c>: the SDK's providers are no-ops (no spans, metrics or OTLP log records).</summary>
    Off,

    /// <summary>Everything on: every span (<c>always_on</c>), metric and log record exported over OTLP to a receiver.</summary>
    Export,
}
