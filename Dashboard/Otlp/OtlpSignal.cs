namespace Observability.Dashboard.Otlp;

/// <summary>The three OTLP signals. The numbers are persisted in journal segments: never renumber.</summary>
internal enum OtlpSignal : byte
{
    Traces = 1,
    Metrics = 2,
    Logs = 3,
}
