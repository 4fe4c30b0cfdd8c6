namespace Observability.TestInfrastructure.Otlp;

/// <summary>The three OTLP signals.</summary>
public enum OtlpSignal
{
    /// <summary>Spans (<c>/v1/traces</c>, <c>TraceService/Export</c>).</summary>
    Traces,

    /// <summary>Metrics (<c>/v1/metrics</c>, <c>MetricsService/Export</c>).</summary>
    Metrics,

    /// <summary>Log records (<c>/v1/logs</c>, <c>LogsService/Export</c>).</summary>
    Logs,
}
