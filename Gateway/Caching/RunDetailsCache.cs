using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Observability.Workflows.Persistence;
using Observability.Workflows.Steps;
using StackExchange.Redis;

namespace Observability.Gateway.Caching;

/// <summary>
/// A run and its steps for <c>GET /api/workflows/{id}</c> through HybridCache: this process's memory, then Redis
/// (shared by every gateway), then PostgreSQL. Lookups are counted in <c>gateway.cache.requests</c>.
/// </summary>
/// <remarks>
/// Only a Completed, Failed or Cancelled run is stored; a Queued, Running or DeadLettered run is read from the database
/// on every request and never written to either level. Those three cannot change (every write to a run or its steps is
/// conditional on the run being Queued or Running; only the re-drive of dead letters moves a DeadLettered run, back to
/// Queued), so a cached entry is never stale and nothing has to invalidate it. Invalidating by tag on every change was the other way, and the worse one here: the changes
/// are the Worker's writes, and HybridCache's tag invalidation does not reach another gateway's memory level before
/// that entry's local expiry (HybridCache has no backplane, dotnet/runtime#125602), so a polled running run could be
/// served stale by another gateway. What stays fresh per request: the alerts (the Worker may record a run's duration or
/// cost alert just after it finishes) and the events ticket.
/// </remarks>
internal sealed class RunDetailsCache(
    HybridCache cache,
    IConnectionMultiplexer redis,
    GatewayMetrics metrics,
    WorkflowsDbContext db,
    WorkflowStepStore steps)
{
    /// <summary>The <c>gateway.cache.name</c> of this cache.</summary>
    public const string CacheName = "workflow_run";

    // While Redis is disconnected, a read of the second level would wait for the client's timeout (it queues commands
    // until it reconnects) before HybridCache treats the failure as a miss: skip Redis then, keep memory and database.
    private static readonly HybridCacheEntryOptions WithoutRedis = new() { Flags = HybridCacheEntryFlags.DisableDistributedCache };

    /// <summary>The entry's key: its shape's version and the run id (RedisCache prefixes it with <c>gateway:</c>).</summary>
    public static string Key(Guid runId) => $"workflow-run:v1:{runId:N}";

    /// <summary>The run's snapshot, or null when there is no such run (not cached either: it may be created later).</summary>
    public async Task<RunSnapshot?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        var lookup = new Lookup(db, steps, runId);
        var snapshot = await cache.GetOrCreateAsync(
            Key(runId),
            lookup,
            static (lookup, context, token) => lookup.LoadAsync(context, token),
            redis.IsConnected ? null : WithoutRedis,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        metrics.RecordCacheRequest(CacheName, hit: !lookup.Loaded);
        return snapshot;
    }

    /// <summary>One request's load; <see cref="Loaded"/> tells whether this request went to the database.</summary>
    private sealed class Lookup(WorkflowsDbContext db, WorkflowStepStore steps, Guid runId)
    {
        public bool Loaded { get; private set; }

        public async ValueTask<RunSnapshot?> LoadAsync(HybridCacheEntryContext context, CancellationToken cancellationToken)
        {
            Loaded = true;
            var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
            var snapshot = run is null ? null : RunSnapshot.From(run, await steps.ListAsync(runId, cancellationToken).ConfigureAwait(false));
            if (snapshot is not { CannotChange: true })
            {
                // Not final (or not there): hand it to this request only, store it at neither level (the flags are nullable:
                // a lifted |= on null would stay null and store it).
                context.Flags = (context.Flags ?? HybridCacheEntryFlags.None) | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;
            }

            return snapshot;
        }
    }
}
