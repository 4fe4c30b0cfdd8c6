using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;

namespace Observability.Gateway.Tests;

/// <summary>
/// The Redis client spans of <c>AddWorkflowsRedis</c> (OpenTelemetry's StackExchange.Redis instrumentation, on by default): the run cache's Redis reads join the request's trace as client spans with <c>db.system</c> redis and the command name
/// as the statement, never a key or a value.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisClientSpanTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task Get_ByDefault_RedisCommandsAreSpansOfTheRequestsTraceWithoutKeysOrValues()
    {
        using var timeout = TestTimeout.Start();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.Contains("StackExchangeRedis", StringComparison.Ordinal),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var (runId, _) = await WorkflowsApiReadTests.SubmitAsync(gateway, "s-redis-spans", timeout.Token);
        var traceId = ActivityTraceId.CreateRandom();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{runId}");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await gateway.Client.SendAsync(request, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The instrumentation turns a request's profiled commands into spans when it drains its profiling sessions.
        await Poll.UntilAsync(() => spans.Any(span => span.TraceId == traceId), timeout.Token, "no Redis span in the request's trace");
        var inTrace = spans.Where(span => span.TraceId == traceId).ToList();
        Assert.All(inTrace, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            // The instrumentation writes the stable names (db.system.name, db.query.text) only when the
            // process's environment has OTEL_SEMCONV_STABILITY_OPT_IN=database (it does not read IConfiguration).
            Assert.Equal("redis", span.GetTagItem("db.system"));
            Assert.Equal(span.DisplayName, span.GetTagItem("db.statement"));
            foreach (var (key, value) in span.TagObjects)
            {
                var text = $"{value}";
                Assert.DoesNotContain(runId.ToString("N"), text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(runId.ToString(), text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Do the thing", text, StringComparison.Ordinal);
                Assert.False(key.Contains("key", StringComparison.OrdinalIgnoreCase) && key != "db.redis.database_index", $"{key}={text}");
            }
        });
        // The run cache's second-level read (RedisCache reads the entry's hash with HMGET).
        Assert.Contains(inTrace, span => (string?)span.GetTagItem("db.statement") == "HMGET");
    }
}
