namespace Observability.TestInfrastructure.Otlp;

/// <summary>Span status codes, numbered as in <c>opentelemetry.proto.trace.v1.Status.StatusCode</c>.</summary>
public enum OtlpStatusCode
{
    /// <summary>The default status.</summary>
    Unset = 0,

    /// <summary>Explicitly successful.</summary>
    Ok = 1,

    /// <summary>The operation failed.</summary>
    Error = 2,
}
