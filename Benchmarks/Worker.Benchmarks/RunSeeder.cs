using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Observability.Workflows.Messaging;
using Observability.Workflows.Outbox;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;
using StackExchange.Redis;

namespace Observability.Worker.Benchmarks;

/// <summary>
/// Queues runs as the Gateway does: <see cref="WorkflowRunStore.CreateAsync"/> (run + outbox job in one transaction,
/// with a traceparent), then <see cref="OutboxRelay"/> moves the jobs to the stream with the relay's fields.
/// </summary>
internal static class RunSeeder
{
    private const string Task = "Research the market for solar panels. Write a summary of the findings; then draft a recommendation";

    /// <summary>Queues <paramref name="runs"/> runs, each in a trace of its own (sampled); returns their trace IDs.</summary>
    public static async Task<string[]> SeedAsync(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, int runs, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<WorkflowsDbContext>().UseNpgsql(dataSource).Options;
        var traceIds = new string[runs];
        var next = -1;
        var writers = Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var db = new WorkflowsDbContext(options);
            var store = new WorkflowRunStore(db, TimeProvider.System, NullLogger<WorkflowRunStore>.Instance);
            int run;
            while ((run = Interlocked.Increment(ref next)) < runs)
            {
                traceIds[run] = ActivityTraceId.CreateRandom().ToHexString();
                var traceParent = $"00-{traceIds[run]}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
                await store.CreateAsync(new CreateRunRequest($"bench-{run % 50}", Task, TraceParent: traceParent), cancellationToken);
            }
        });
        await System.Threading.Tasks.Task.WhenAll(writers);

        await using var relayDb = new WorkflowsDbContext(options);
        var relay = new OutboxRelay(relayDb);
        while (await relay.RelayBatchAsync(OutboxRelay.MaxBatchSize, (message, ct) => PublishAsync(redis, message, ct), cancellationToken) > 0)
        {
        }

        return traceIds;
    }

    private static async Task PublishAsync(IConnectionMultiplexer redis, OutboxMessage message, CancellationToken cancellationToken)
    {
        NameValueEntry[] fields =
        [
            new(WorkflowStreams.MessageField, message.Payload),
            new(WorkflowStreams.TraceParentField, message.TraceParent ?? string.Empty),
            new(WorkflowStreams.BaggageField, message.Baggage ?? string.Empty),
        ];
        await redis.GetDatabase().StreamAddAsync(message.Stream, fields).WaitAsync(cancellationToken);
    }
}
