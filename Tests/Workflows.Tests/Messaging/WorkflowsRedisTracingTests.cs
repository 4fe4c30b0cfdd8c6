using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Observability.TestInfrastructure.Polling;
using Observability.TestInfrastructure.Redis;
using OpenTelemetry.Instrumentation.StackExchangeRedis;
using StackExchange.Redis;

namespace Observability.Workflows.Tests.Messaging;

/// <summary>
/// The Redis client spans of <c>AddWorkflowsRedis</c>: OpenTelemetry's StackExchange.Redis instrumentation package on
/// the integration's multiplexer (the integration's own copy turned off), against a real redis-server.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkflowsRedisTracingTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string RedisSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    [Fact]
    public async Task AddWorkflowsRedis_CommandInASpan_OneClientSpanUnderItFromTheInstrumentationPackage()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        using var parentSource = new ActivitySource("Observability.Tests.RedisTracing." + Guid.NewGuid().ToString("N"));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedisSource || source == parentSource,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var host = BuildHost(tracingDisabled: false);
        await host.StartAsync(ct);
        var key = RedisServerFixture.NewKeyPrefix() + "traced";

        ActivityContext parent;
        using (var operation = parentSource.StartActivity("operation")!)
        {
            parent = operation.Context;
            await host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().StringSetAsync(key, "value").WaitAsync(ct);
        }

        // The instrumentation turns the parent's profiled commands into spans when it drains its sessions.
        await Poll.UntilAsync(() => spans.Any(span => span.Source.Name == RedisSource && span.TraceId == parent.TraceId), ct, "no Redis span in the parent's trace");
        var set = Assert.Single(spans, span => span.Source.Name == RedisSource && span.TraceId == parent.TraceId);
        Assert.Equal("SET", set.DisplayName);
        Assert.Equal(ActivityKind.Client, set.Kind);
        Assert.Equal(parent.SpanId, set.ParentSpanId);
        Assert.Equal("redis", set.GetTagItem("db.system"));
        Assert.DoesNotContain(set.TagObjects, tag => $"{tag.Value}".Contains(key, StringComparison.Ordinal) || $"{tag.Value}".Contains("value", StringComparison.Ordinal));

        // From the package (its ActivitySource carries the package's version), not the integration's compiled-in copy.
        var packageVersion = typeof(StackExchangeRedisInstrumentationOptions).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        Assert.StartsWith(packageVersion, set.Source.Version, StringComparison.Ordinal);
        Assert.Equal(
            WorkflowsRedisExtensions.RedisSpanFlushInterval,
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<StackExchangeRedisInstrumentationOptions>>().CurrentValue.FlushInterval);
        await host.StopAsync(ct);
    }

    [Fact]
    public async Task AddWorkflowsRedis_TracingDisabledInTheIntegrationsSettings_NoInstrumentation()
    {
        using var timeout = TestTimeout.Start();
        using var host = BuildHost(tracingDisabled: true);
        await host.StartAsync(timeout.Token);

        Assert.Null(host.Services.GetService<StackExchangeRedisInstrumentation>());

        // The client itself still works without it.
        var key = RedisServerFixture.NewKeyPrefix() + "untraced";
        var database = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await database.StringSetAsync(key, "value").WaitAsync(timeout.Token);
        Assert.Equal("value", (string?)await database.StringGetAsync(key).WaitAsync(timeout.Token));
        await host.StopAsync(timeout.Token);
    }

    private IHost BuildHost(bool tracingDisabled)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redis.ConnectionString,
            ["Aspire:StackExchange:Redis:DisableTracing"] = tracingDisabled ? "true" : null,
        });
        builder.AddWorkflowsRedis("cache");
        return builder.Build();
    }
}
