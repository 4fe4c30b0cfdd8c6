namespace Observability.Dashboard.Storage;

/// <summary>What a journal record holds. Persisted: never renumber.</summary>
internal enum JournalRecordKind : byte
{
    Traces = 1,
    Metrics = 2,
    Logs = 3,

    /// <summary>The telemetry of one resource was cleared; the payload is "service\0instance".</summary>
    ClearResource = 11,
}
