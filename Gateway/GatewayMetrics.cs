using System.Diagnostics.Metrics;

namespace Observability.Gateway;

/// <summary>
/// The Gateway's Meter (<c>Observability.Gateway</c>, recorded by ServiceDefaults' pipeline through its
/// <c>Observability.*</c> meter wildcard).
/// </summary>
/// <remarks>
/// <c>gateway.cache.requests</c> follows the shape of .NET's own cache instrument (<c>dotnet.cache.requests</c> of the
/// MemoryCache meter in .NET 11, with <c>dotnet.cache.name</c> and <c>dotnet.cache.request.result</c>): one counter of
/// requests with the result as an attribute, so hits plus misses is every lookup and the hit ratio is one query.
/// OpenTelemetry has no general cache convention yet; the names are ours, under the service's namespace as the
/// Worker's <c>workflow.*</c> and the hub's <c>websockethub.*</c> are.
/// </remarks>
internal sealed class GatewayMetrics
{
    /// <summary>The Meter name (the same as the ActivitySource's).</summary>
    public const string Name = GatewayTelemetry.SourceName;

    /// <summary>Which cache a <c>gateway.cache.requests</c> measurement is about.</summary>
    public const string CacheNameAttribute = "gateway.cache.name";

    /// <summary><c>hit</c> (served from either level of the cache) or <c>miss</c> (read from the database).</summary>
    public const string CacheResultAttribute = "gateway.cache.request.result";

    private readonly Counter<long> _cacheRequests;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        _cacheRequests = meter.CreateCounter<long>(
            "gateway.cache.requests",
            "{request}",
            "Cache lookups, by gateway.cache.name and gateway.cache.request.result (hit: from memory or Redis; miss: from the database).");
    }

    public void RecordCacheRequest(string cacheName, bool hit)
        => _cacheRequests.Add(
            1,
            new KeyValuePair<string, object?>(CacheNameAttribute, cacheName),
            new KeyValuePair<string, object?>(CacheResultAttribute, hit ? "hit" : "miss"));
}
