using System.Collections.Concurrent;
using System.Diagnostics;
using Observability.Redis.Telemetry;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Telemetry;

[Trait("Category", "Integration")]
public sealed class TracingTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Command_WithListener_EmitsClientSpanWithDatabaseConventions()
    {
        var ct = TestClients.Timeout();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(spans);
        using var parentSource = new ActivitySource("Observability.Redis.Tests");
        await using var client = await TestClients.ConnectAsync(redis);
        var key = RedisServerFixture.NewKeyPrefix() + "secret-key";
        await client.SetAsync(key, "secret-value", cancellationToken: ct);

        using (var parent = parentSource.StartActivity("parent"))
        {
            Assert.NotNull(parent);
            await client.ExecuteAsync("TIME", [], ct);
            await client.ExecuteAsync("GETRANGE", [key, 0, 3], ct);
            Assert.Same(parent, Activity.Current);

            var time = spans.Single(s => s.OperationName == "TIME" && Port(s) == redis.Server.Port);
            Assert.Equal("TIME", time.DisplayName);
            Assert.Equal(ActivityKind.Client, time.Kind);
            Assert.Equal(parent.SpanId, time.ParentSpanId);
            Assert.Equal("redis", time.GetTagItem("db.system.name"));
            Assert.Equal("TIME", time.GetTagItem("db.operation.name"));
            Assert.Equal("127.0.0.1", time.GetTagItem("server.address"));
            Assert.Equal("0", time.GetTagItem("db.namespace"));
            Assert.Equal(ActivityStatusCode.Unset, time.Status);

            var getRange = spans.Single(s => s.OperationName == "GETRANGE" && Port(s) == redis.Server.Port);
            Assert.DoesNotContain(getRange.TagObjects, tag => tag.Value?.ToString()?.Contains("secret", StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public async Task Command_ServerError_SpanCarriesErrorType()
    {
        var ct = TestClients.Timeout();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(spans);
        await using var client = await TestClients.ConnectAsync(redis);
        var key = RedisServerFixture.NewKeyPrefix() + "s";
        await client.SetAsync(key, "string", cancellationToken: ct);

        await Assert.ThrowsAsync<RedisServerException>(async () => await client.ExecuteAsync("LPUSH", [key, "x"], ct));

        var span = spans.Single(s => s.OperationName == "LPUSH" && Port(s) == redis.Server.Port);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("WRONGTYPE", span.GetTagItem("error.type"));
    }

    private static int? Port(Activity activity) => activity.GetTagItem("server.port") as int?;

    private static ActivityListener Listen(ConcurrentQueue<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RedisTelemetry.SourceName or "Observability.Redis.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == RedisTelemetry.SourceName)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
