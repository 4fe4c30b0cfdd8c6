using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Events;
using Observability.Worker.Tests.Jobs;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Tests.Events;

[Trait("Category", "Integration")]
public sealed class RunEventStreamTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task Publish_FromParallelSteps_EveryEventInTheStreamInSequenceOrder()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var events = host.Services.GetRequiredService<WorkflowEventPublisher>().Open(Guid.CreateVersion7(), "session-1", lastEvent: null);

        await Parallel.ForAsync(0, 8, ct, async (step, token) =>
        {
            for (var i = 0; i < 50; i++)
            {
                events.Publish(WorkflowEventType.LlmCall, new JsonObject { ["step"] = step, ["i"] = i }, span: null);
                if (i % 10 == 0)
                {
                    await Task.Yield();
                }
            }
        });
        await events.FlushAsync().WaitAsync(ct);

        var stored = await host.GetEventsAsync(events.RunId, ct);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), stored.Select(e => e.Sequence));
        Assert.All(Enumerable.Range(0, 8), step => Assert.Equal(
            Enumerable.Range(0, 50),
            stored.Where(e => e.Payload!.Value.GetProperty("step").GetInt32() == step).Select(e => e.Payload!.Value.GetProperty("i").GetInt32())));
    }

}
