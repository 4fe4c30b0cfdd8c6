using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;
using Observability.Gateway.Caching;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;
using StackExchange.Redis;

namespace Observability.Gateway.Tests;

/// <summary>
/// <c>GET /api/workflows/{id}</c> through the run cache (HybridCache over a real redis-server): a final run is read
/// from the database once, then from memory or Redis; a run that can still change is never served from either.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunCacheTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Get_CompletedRun_MissThenHitWithTheSameDetails()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        using var requests = CacheRequests(gateway);
        var runId = await CompletedRunAsync(gateway, "s-cache-hit", timeout.Token);

        var first = await GetRunAsync(gateway, runId, timeout.Token);
        var second = await GetRunAsync(gateway, runId, timeout.Token);

        Assert.Equal(["miss", "hit"], Results(requests));
        Assert.Equal("Completed", second.GetProperty("status").GetString());
        Assert.Equal(Comparable(first), Comparable(second));
        var step = Assert.Single(second.GetProperty("steps").EnumerateArray());
        Assert.Equal("researcher", step.GetProperty("agent").GetString());
        Assert.Equal(120, step.GetProperty("tokens").GetProperty("total").GetInt64());
        Assert.Equal(0.01m, second.GetProperty("cost").GetDecimal());
        Assert.All(requests.GetMeasurementSnapshot(), m => Assert.Equal(RunDetailsCache.CacheName, m.Tags[GatewayMetrics.CacheNameAttribute]));
    }

    [Fact]
    public async Task Get_LocalCacheCleared_ServedFromRedisNotTheDatabase()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        using var requests = CacheRequests(gateway);
        var runId = await CompletedRunAsync(gateway, "s-cache-l2", timeout.Token);
        await GetRunAsync(gateway, runId, timeout.Token);
        await WaitForRedisEntryAsync(runId, timeout.Token);

        ((MemoryCache)gateway.Services.GetRequiredService<IMemoryCache>()).Clear();
        await ChangeTaskInDatabaseAsync(gateway.DatabaseConnectionString, runId, timeout.Token);
        var fromRedis = await GetRunAsync(gateway, runId, timeout.Token);

        Assert.Equal(["miss", "hit"], Results(requests));
        Assert.Equal("Do the thing", fromRedis.GetProperty("task").GetString());
    }

    [Fact]
    public async Task Get_SecondGateway_ServesTheFirstGatewaysEntryFromRedis()
    {
        using var timeout = TestTimeout.Start();
        await using var first = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var runId = await CompletedRunAsync(first, "s-cache-shared", timeout.Token);
        await GetRunAsync(first, runId, timeout.Token);
        await WaitForRedisEntryAsync(runId, timeout.Token);
        await using var second = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, new Dictionary<string, string?>
        {
            ["ConnectionStrings:workflows"] = first.DatabaseConnectionString,
        });
        using var requests = CacheRequests(second);

        await ChangeTaskInDatabaseAsync(first.DatabaseConnectionString, runId, timeout.Token);
        var fromRedis = await GetRunAsync(second, runId, timeout.Token);

        Assert.Equal(["hit"], Results(requests));
        Assert.Equal("Do the thing", fromRedis.GetProperty("task").GetString());
        Assert.Equal("Completed", fromRedis.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Get_RunNotYetFinal_NeverServedStale()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        using var requests = CacheRequests(gateway);
        var (runId, _) = await WorkflowsApiReadTests.SubmitAsync(gateway, "s-cache-live", timeout.Token);
        await using var scope = gateway.Services.CreateAsyncScope();
        var runs = scope.ServiceProvider.GetRequiredService<WorkflowRunStore>();

        var queued = await GetRunAsync(gateway, runId, timeout.Token);
        Assert.True(await runs.TryStartAsync(runId, timeout.Token));
        var running = await GetRunAsync(gateway, runId, timeout.Token);
        var runningAgain = await GetRunAsync(gateway, runId, timeout.Token);
        Assert.True((await runs.CompleteAsync(runId, 10, 5, 0.5m, timeout.Token)).Applied);
        var completed = await GetRunAsync(gateway, runId, timeout.Token);
        var completedAgain = await GetRunAsync(gateway, runId, timeout.Token);

        Assert.Equal("Queued", queued.GetProperty("status").GetString());
        Assert.Equal("Running", running.GetProperty("status").GetString());
        Assert.Equal("Running", runningAgain.GetProperty("status").GetString());
        Assert.Equal("Completed", completed.GetProperty("status").GetString());
        Assert.Equal("Completed", completedAgain.GetProperty("status").GetString());
        Assert.Equal(15, completedAgain.GetProperty("tokens").GetProperty("total").GetInt64());
        Assert.Equal(["miss", "miss", "miss", "miss", "hit"], Results(requests));
    }

    [Fact]
    public async Task Get_DeadLetteredRunReDriven_NeverServedStale()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        using var requests = CacheRequests(gateway);
        var (runId, _) = await WorkflowsApiReadTests.SubmitAsync(gateway, "s-cache-redrive", timeout.Token);

        // As the job processor leaves a run whose job was delivered too often, then as the worker's re-drive puts it back.
        await SetStatusInDatabaseAsync(gateway.DatabaseConnectionString, runId, "DeadLettered", timeout.Token);
        var deadLettered = await GetRunAsync(gateway, runId, timeout.Token);
        var deadLetteredAgain = await GetRunAsync(gateway, runId, timeout.Token);
        await SetStatusInDatabaseAsync(gateway.DatabaseConnectionString, runId, "Queued", timeout.Token);
        var redriven = await GetRunAsync(gateway, runId, timeout.Token);

        Assert.Equal("DeadLettered", deadLettered.GetProperty("status").GetString());
        Assert.Equal("DeadLettered", deadLetteredAgain.GetProperty("status").GetString());
        Assert.Equal("Queued", redriven.GetProperty("status").GetString());
        Assert.Equal(["miss", "miss", "miss"], Results(requests));
    }

    [Fact]
    public async Task Get_UnknownRun_IsNotCached()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        using var requests = CacheRequests(gateway);
        var runId = Guid.NewGuid();

        using (var response = await gateway.Client.GetAsync($"/api/workflows/{runId}", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var again = await gateway.Client.GetAsync($"/api/workflows/{runId}", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        Assert.Equal(["miss", "miss"], Results(requests));
    }

    [Fact]
    public async Task Metrics_CacheRequests_ExportedOnTheScrapingEndpoint()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var runId = await CompletedRunAsync(gateway, "s-cache-scrape", timeout.Token);
        await GetRunAsync(gateway, runId, timeout.Token);
        await GetRunAsync(gateway, runId, timeout.Token);

        var scrape = await Poll.UntilAsync(
            token => gateway.Client.GetStringAsync("/metrics", token),
            text => text.Contains("gateway_cache_requests_total{", StringComparison.Ordinal) && text.Contains("dotnet_cache_requests_total{", StringComparison.Ordinal),
            timeout.Token,
            text => text ?? "(no answer)");

        var hits = scrape.Split('\n').Single(line => line.StartsWith("gateway_cache_requests_total{", StringComparison.Ordinal) && line.Contains("gateway_cache_request_result=\"hit\"", StringComparison.Ordinal));
        Assert.Contains("gateway_cache_name=\"workflow_run\"", hits, StringComparison.Ordinal);
    }

    private static MetricCollector<long> CacheRequests(GatewayHost gateway)
        => new(gateway.Services.GetRequiredService<IMeterFactory>(), GatewayMetrics.Name, "gateway.cache.requests");

    private static string[] Results(MetricCollector<long> requests)
        => [.. requests.GetMeasurementSnapshot().Select(m => (string)m.Tags[GatewayMetrics.CacheResultAttribute]!)];

    private static string RedisKey(Guid runId) => RunCacheExtensions.RedisKeyPrefix + RunDetailsCache.Key(runId);

    /// <summary>A submitted run taken to Completed with one completed step, as the Worker would.</summary>
    private static async Task<Guid> CompletedRunAsync(GatewayHost gateway, string sessionId, CancellationToken cancellationToken)
    {
        var (runId, _) = await WorkflowsApiReadTests.SubmitAsync(gateway, sessionId, cancellationToken);
        await using var scope = gateway.Services.CreateAsyncScope();
        var runs = scope.ServiceProvider.GetRequiredService<WorkflowRunStore>();
        Assert.True(await runs.TryStartAsync(runId, cancellationToken));
        var plan = new WorkflowPlan([new PlannedStep("research", "Find sources", [], "researcher", "Needs web search")]);
        Assert.True((await runs.RecordPlanAsync(runId, plan, 0.9, cancellationToken)).Applied);
        var steps = scope.ServiceProvider.GetRequiredService<WorkflowStepStore>();
        Assert.True(await steps.TryStartAsync(runId, "research", cancellationToken));
        Assert.True(await steps.CompleteAsync(runId, "research", 100, 20, 0.01m, cancellationToken));
        Assert.True((await runs.CompleteAsync(runId, 100, 20, 0.01m, cancellationToken)).Applied);
        return runId;
    }

    private static async Task<JsonElement> GetRunAsync(GatewayHost gateway, Guid runId, CancellationToken cancellationToken)
    {
        using var response = await gateway.Client.GetAsync($"/api/workflows/{runId}", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>The response without the per-request events ticket.</summary>
    private static string Comparable(JsonElement run)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(run.GetRawText())!.AsObject();
        copy.Remove("eventsTicket");
        copy.Remove("eventsTicketExpiresAt");
        return copy.ToJsonString();
    }

    /// <summary>The entry is written to Redis after the first response is released: wait until it is there.</summary>
    private async Task WaitForRedisEntryAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await Poll.UntilAsync(token => connection.GetDatabase().KeyExistsAsync(RedisKey(runId)), exists => exists, cancellationToken, _ => $"{RedisKey(runId)} is not in Redis");
    }

    private static async Task SetStatusInDatabaseAsync(string connectionString, Guid runId, string status, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var update = new NpgsqlCommand("UPDATE workflow_runs SET status = $2 WHERE id = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = runId }, new NpgsqlParameter { Value = status } },
        };
        Assert.Equal(1, await update.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>
    /// Changes a final run's task behind the cache's back (nothing in the services does: a final run never changes), so
    /// an answer with the old task can only have come from the cache.
    /// </summary>
    private static async Task ChangeTaskInDatabaseAsync(string connectionString, Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var update = new NpgsqlCommand("UPDATE workflow_runs SET task = 'changed behind the cache' WHERE id = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = runId } },
        };
        Assert.Equal(1, await update.ExecuteNonQueryAsync(cancellationToken));
    }
}
