namespace Observability.Dashboard.Apis;

/// <summary>What was refused or evicted since start, by reason.</summary>
internal sealed record DropsDto(long RejectedItems, long TruncatedValues, long EvictedTraces, long EvictedSpans,
    long DroppedSpansOverTraceCap, long EvictedLogs, long EvictedMetricPoints, long DroppedMetricPoints, long DroppedForResourceCap, long DuplicateSpans,
    long JournalWriteFailures);
