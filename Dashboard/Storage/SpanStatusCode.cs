namespace Observability.Dashboard.Storage;

/// <summary>OTLP <c>Status.StatusCode</c> numbers.</summary>
internal enum SpanStatusCode : byte
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}
