namespace Observability.Dashboard.Storage;

/// <summary>What the store refused or evicted, since start. Thread-safe; shown by the resources API.</summary>
internal sealed class DropCounters
{
    private long _rejectedItems;
    private long _truncatedValues;
    private long _evictedTraces;
    private long _evictedSpans;
    private long _droppedSpansOverTraceCap;
    private long _evictedLogs;
    private long _evictedMetricPoints;
    private long _droppedMetricPoints;
    private long _droppedForResourceCap;
    private long _duplicateSpans;

    public long RejectedItems => Volatile.Read(ref _rejectedItems);

    public long TruncatedValues => Volatile.Read(ref _truncatedValues);

    public long EvictedTraces => Volatile.Read(ref _evictedTraces);

    public long EvictedSpans => Volatile.Read(ref _evictedSpans);

    public long DroppedSpansOverTraceCap => Volatile.Read(ref _droppedSpansOverTraceCap);

    public long EvictedLogs => Volatile.Read(ref _evictedLogs);

    public long EvictedMetricPoints => Volatile.Read(ref _evictedMetricPoints);

    public long DroppedMetricPoints => Volatile.Read(ref _droppedMetricPoints);

    public long DroppedForResourceCap => Volatile.Read(ref _droppedForResourceCap);

    public long DuplicateSpans => Volatile.Read(ref _duplicateSpans);

    public void AddDuplicateSpans(long count) => Interlocked.Add(ref _duplicateSpans, count);

    public void AddRejected(long count) => Interlocked.Add(ref _rejectedItems, count);

    public void AddTruncated(long count) => Interlocked.Add(ref _truncatedValues, count);

    public void AddEvictedTrace(int spanCount)
    {
        Interlocked.Increment(ref _evictedTraces);
        Interlocked.Add(ref _evictedSpans, spanCount);
    }

    public void AddDroppedSpansOverTraceCap(long count) => Interlocked.Add(ref _droppedSpansOverTraceCap, count);

    public void AddEvictedLogs(long count) => Interlocked.Add(ref _evictedLogs, count);

    public void AddEvictedMetricPoints(long count) => Interlocked.Add(ref _evictedMetricPoints, count);

    public void AddDroppedMetricPoints(long count) => Interlocked.Add(ref _droppedMetricPoints, count);

    public void AddDroppedForResourceCap(long count) => Interlocked.Add(ref _droppedForResourceCap, count);
}
