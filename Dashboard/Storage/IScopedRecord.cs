namespace Observability.Dashboard.Storage;

/// <summary>A decoded span, log record or metric: it belongs to the instrumentation scope that produced it.</summary>
internal interface IScopedRecord
{
    InstrumentationScope Scope { get; set; }
}
