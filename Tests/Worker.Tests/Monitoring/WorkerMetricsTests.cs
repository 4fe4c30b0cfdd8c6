using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Monitoring;
using Observability.Worker.Tests.Jobs;
using Observability.Worker.Tests.Llm;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Monitoring;

[Collection(TelemetryListeners.Name)]
[Trait("Category", "Integration")]
public sealed class WorkerMetricsTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task ExecuteAsync_CompletedRun_RecordsWorkflowStepAndQueueMetrics()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct);
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Name, double Value, string? Status)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WorkerTelemetry.Name && instrument.Meter.Scope == meterFactory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? status = null;
            foreach (var tag in tags)
            {
                status = tag.Key is "workflow.status" or "workflow.step.status" ? tag.Value as string : status;
            }

            measurements.Enqueue((instrument.Name, value, status));
        }

        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        var runId = await host.CreateRunAsync("Research the topic. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);
        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);

        Assert.Contains(measurements, m => m.Name == "workflow.runs" && m is { Value: 1, Status: "Completed" });
        Assert.Contains(measurements, m => m.Name == "workflow.duration" && m.Status == "Completed" && m.Value >= 0);
        Assert.Contains(measurements, m => m.Name == "workflow.cost" && m.Value > 0 && Math.Abs(m.Value - (double)run.Cost) < 0.000001);
        Assert.Equal(run.Plan!.Steps.Count, measurements.Count(m => m.Name == "workflow.step.duration" && m.Status == "Completed"));

        // The queue gauges report the consumer's last sample: one entry in the stream, none pending.
        while (true)
        {
            listener.RecordObservableInstruments();
            var depth = measurements.LastOrDefault(m => m.Name == "workflow.jobs.queue.depth");
            var pending = measurements.LastOrDefault(m => m.Name == "workflow.jobs.pending");
            if (depth.Value == 1 && pending.Name is not null && pending.Value == 0)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }
}
