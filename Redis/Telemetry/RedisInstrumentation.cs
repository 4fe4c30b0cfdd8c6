using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Observability.Redis.Telemetry;

/// <summary>
/// One client's spans and instruments. Spans are created only when a listener samples them; the duration histogram
/// follows <c>db.client.operation.duration</c>. Keys and values are never recorded.
/// </summary>
internal sealed class RedisInstrumentation : IDisposable
{
    private static readonly double[] DurationBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly KeyValuePair<string, object?>[] _commonTags;
    private long _activeConnections;
    private long _pendingCommands;

    public RedisInstrumentation(string host, int port, int database, IMeterFactory? meterFactory, RedisServerStats serverStats)
    {
        Host = host;
        Port = port;
        Namespace = database.ToString(CultureInfo.InvariantCulture);
        _commonTags =
        [
            new(RedisTelemetry.DbSystemName, "redis"),
            new(RedisTelemetry.ServerAddress, host),
            new(RedisTelemetry.ServerPort, port),
            new(RedisTelemetry.DbNamespace, Namespace),
        ];
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(RedisTelemetry.SourceName) ?? new Meter(RedisTelemetry.SourceName);
        _duration = _meter.CreateHistogram<double>(
            "db.client.operation.duration",
            unit: "s",
            description: "Duration of Redis commands.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _reconnects = _meter.CreateCounter<long>("redis.client.reconnects", "{reconnect}", "Connections re-established after a drop.");
        _cacheHits = _meter.CreateCounter<long>("redis.client.cache.hits", "{hit}", "Cache look-ups answered from Redis.");
        _cacheMisses = _meter.CreateCounter<long>("redis.client.cache.misses", "{miss}", "Cache look-ups that had to compute the value.");
        _meter.CreateObservableUpDownCounter(
            "db.client.connection.count",
            () => new Measurement<long>(Interlocked.Read(ref _activeConnections), _commonTags),
            "{connection}",
            "Open connections to Redis.");
        _meter.CreateObservableUpDownCounter(
            "db.client.connection.pending_requests",
            () => new Measurement<long>(Interlocked.Read(ref _pendingCommands), _commonTags),
            "{request}",
            "Commands sent and waiting for their reply.");
        _meter.CreateObservableCounter(
            "redis.server.evicted_keys",
            () => serverStats.EvictedKeys is { } evicted ? [new Measurement<long>(evicted, _commonTags)] : Array.Empty<Measurement<long>>(),
            "{key}",
            "Keys the server evicted for lack of memory (INFO stats).");
        _meter.CreateObservableGauge(
            "redis.server.keyspace.hit_ratio",
            () => serverStats.KeyspaceHitRatio is { } ratio ? [new Measurement<double>(ratio, _commonTags)] : Array.Empty<Measurement<double>>(),
            "1",
            "keyspace_hits / (keyspace_hits + keyspace_misses) from INFO stats.");
    }

    public string Host { get; }

    public int Port { get; }

    public string Namespace { get; }

    public long PendingCommands => Interlocked.Read(ref _pendingCommands);

    public long ActiveConnections => Interlocked.Read(ref _activeConnections);

    /// <summary>Starts a client span when someone listens; keeps the caller's current activity unchanged.</summary>
    public Activity? StartActivity(string operation)
    {
        if (!RedisTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        var activity = RedisTelemetry.ActivitySource.StartActivity(operation, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        Activity.Current = previous;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(RedisTelemetry.DbSystemName, "redis");
            activity.SetTag(RedisTelemetry.DbOperationName, operation);
            activity.SetTag(RedisTelemetry.DbNamespace, Namespace);
            activity.SetTag(RedisTelemetry.ServerAddress, Host);
            activity.SetTag(RedisTelemetry.ServerPort, Port);
        }

        return activity;
    }

    public bool MeasuresDuration => _duration.Enabled;

    /// <summary>Ends one command: records its duration and closes its span (with <c>error.type</c> on failure).</summary>
    public void CommandCompleted(string operation, long startTimestamp, Exception? error, Activity? activity)
    {
        var errorType = error is null ? null : ErrorType(error);
        if (_duration.Enabled)
        {
            var elapsed = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
            var tags = new TagList
            {
                _commonTags[0],
                _commonTags[1],
                _commonTags[2],
                _commonTags[3],
                new(RedisTelemetry.DbOperationName, operation),
            };
            if (errorType is not null)
            {
                tags.Add(RedisTelemetry.ErrorType, errorType);
            }

            _duration.Record(elapsed, tags);
        }

        if (activity is not null)
        {
            if (errorType is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error!.Message);
                activity.SetTag(RedisTelemetry.ErrorType, errorType);
            }

            activity.Stop();
        }
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _activeConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    public void Reconnected() => _reconnects.Add(1, _commonTags);

    public void CommandSent() => Interlocked.Increment(ref _pendingCommands);

    public void ReplyReceived() => Interlocked.Decrement(ref _pendingCommands);

    public void CacheHit() => _cacheHits.Add(1, _commonTags);

    public void CacheMiss() => _cacheMisses.Add(1, _commonTags);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>The server's error code (<c>WRONGTYPE</c>) or the exception's type name.</summary>
    private static string ErrorType(Exception error) => error switch
    {
        RedisServerException server => server.ErrorCode,
        _ => error.GetType().Name,
    };
}
