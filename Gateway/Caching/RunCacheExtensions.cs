using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Observability.Gateway.Caching;

/// <summary>The cache of finished runs: HybridCache with Redis (the service's own multiplexer) as its second level.</summary>
internal static class RunCacheExtensions
{
    /// <summary>The prefix of every key the cache writes to Redis.</summary>
    public const string RedisKeyPrefix = "gateway:";

    /// <summary>The meter of .NET's MemoryCache (HybridCache's first level): <c>dotnet.cache.*</c>, hits and misses in memory.</summary>
    public const string MemoryCacheMeterName = "Microsoft.Extensions.Caching.Memory.MemoryCache";

    /// <summary>
    /// Registers <see cref="RunDetailsCache"/>: HybridCache (entry and local expiry and the largest entry from
    /// <see cref="RunCacheOptions"/>, validated at start) over the in-process MemoryCache and Redis's
    /// <c>IDistributedCache</c>, which reuses the <see cref="IConnectionMultiplexer"/> of Aspire's Redis client (no second
    /// connection). The MemoryCache tracks statistics, so its <c>dotnet.cache.requests</c> (first-level hits and misses)
    /// is exported beside our <c>gateway.cache.requests</c> (hits at either level).
    /// </summary>
    public static IHostApplicationBuilder AddRunCache(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<RunCacheOptions>().BindConfiguration(RunCacheOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RunCacheOptions>, ValidateRunCacheOptions>();

        // RedisCache disposes the multiplexer it was given when the container disposes it (dotnet/aspnetcore#67438):
        // harmless here, as that happens only when the host is disposed, after every service using Redis stopped.
        services.AddStackExchangeRedisCache(_ => { });
        services.AddOptions<RedisCacheOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
        {
            options.InstanceName = RedisKeyPrefix;
            options.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
        });

        services.AddHybridCache().AddSerializer<RunSnapshot, RunSnapshotSerializer>();
        services.AddOptions<HybridCacheOptions>().Configure<IOptions<RunCacheOptions>>((options, runCache) =>
        {
            options.MaximumPayloadBytes = runCache.Value.MaximumPayloadBytes;
            options.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = runCache.Value.Expiration,
                LocalCacheExpiration = runCache.Value.LocalExpiration,
            };
        });
        services.Configure<MemoryCacheOptions>(options => options.TrackStatistics = true);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(MemoryCacheMeterName));

        services.AddSingleton<GatewayMetrics>();
        services.AddScoped<RunDetailsCache>();
        return builder;
    }
}
