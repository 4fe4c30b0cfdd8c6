namespace Observability.Redis.Caching;

/// <summary>
/// Cache-aside on top of <see cref="RedisClient"/>: read the key, or compute the value, store it with a TTL and return
/// it. Hits and misses are counted (<c>redis.client.cache.hits</c>, <c>redis.client.cache.misses</c>).
/// </summary>
public sealed class RedisCache(RedisClient client)
{
    /// <summary>Returns the cached value of <paramref name="key"/>, or runs <paramref name="factory"/> and caches its result for <paramref name="ttl"/>.</summary>
    public async ValueTask<T> GetOrSetAsync<T>(
        string key,
        Func<CancellationToken, ValueTask<T>> factory,
        TimeSpan ttl,
        RedisCacheSerializer<T> serializer,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(serializer);
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), "The TTL must be positive.");
        }

        var cached = await client.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            client.Instrumentation.CacheHit();
            return serializer.Deserialize(cached);
        }

        client.Instrumentation.CacheMiss();
        var value = await factory(cancellationToken).ConfigureAwait(false);
        await client.SetAsync(key, serializer.Serialize(value), ttl, cancellationToken: cancellationToken).ConfigureAwait(false);
        return value;
    }

    /// <summary>Removes <paramref name="key"/> so the next look-up computes it again.</summary>
    public async ValueTask<bool> InvalidateAsync(string key, CancellationToken cancellationToken = default) =>
        await client.DelAsync(key, cancellationToken).ConfigureAwait(false);
}
