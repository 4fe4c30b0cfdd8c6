namespace Observability.Dashboard.Storage;

/// <summary>One record read back from the journal.</summary>
internal sealed record JournalRecord(JournalRecordKind Kind, byte Format, long UnixMilliseconds, byte[] Payload);
