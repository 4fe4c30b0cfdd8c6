using System.Globalization;

namespace Observability.Redis.Telemetry;

/// <summary>The latest server-side figures read from <c>INFO stats</c>, observed by the client's gauges.</summary>
internal sealed class RedisServerStats
{
    private long _evictedKeys = -1;
    private long _hits = -1;
    private long _misses = -1;

    public long? EvictedKeys => Volatile.Read(ref _evictedKeys) is var value and >= 0 ? value : null;

    public double? KeyspaceHitRatio
    {
        get
        {
            var hits = Volatile.Read(ref _hits);
            var misses = Volatile.Read(ref _misses);
            return hits < 0 || misses < 0 || hits + misses == 0 ? null : (double)hits / (hits + misses);
        }
    }

    /// <summary>Takes the figures from the text of an <c>INFO</c> reply.</summary>
    public void Update(string info)
    {
        foreach (var rawLine in info.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(line.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line[..colon])
            {
                case "evicted_keys":
                    Volatile.Write(ref _evictedKeys, value);
                    break;
                case "keyspace_hits":
                    Volatile.Write(ref _hits, value);
                    break;
                case "keyspace_misses":
                    Volatile.Write(ref _misses, value);
                    break;
            }
        }
    }
}
