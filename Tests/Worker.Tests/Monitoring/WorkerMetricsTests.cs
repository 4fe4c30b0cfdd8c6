using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Worker.Monitoring;
using Observability.Worker.Tests.Jobs;
using Observability.Worker.Tests.Llm;
using Observability.Workflows.Alerts;
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

    [Fact]
    public async Task ExecuteAsync_CostOverThreshold_ReportsBreachesPerKindThresholdsQualityAndRouting()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var host = await WorkerTestHost.CreateAsync(postgres, ct, new Dictionary<string, string?>
        {
            ["Workflows:Thresholds:CostPerWorkflow"] = "0.0000001",
        });
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Name, double Value, string? Tag)>();
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
            string? tag = null;
            foreach (var pair in tags)
            {
                tag = pair.Key is "workflow.alert.kind" or "workflow.agent" ? pair.Value as string : tag;
            }

            measurements.Enqueue((instrument.Name, value, tag));
        }

        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        // Before any run (the worker's hosted services create the telemetry when they start; here the test does):
        // every kind reported with no breach, and the configured limits.
        _ = host.Services.GetRequiredService<WorkerTelemetry>();
        listener.RecordObservableInstruments();
        Assert.Equal(Enum.GetNames<AlertKind>().Order(), measurements.Where(m => m.Name == "workflow.alerts" && m.Value == 0).Select(m => m.Tag).Order());
        Assert.Contains(measurements, m => m is { Name: "workflow.alert.threshold", Tag: "CostPerWorkflow", Value: 0.0000001 });
        Assert.Contains(measurements, m => m is { Name: "workflow.alert.threshold", Tag: "LlmCallDuration", Value: 30 });
        Assert.Contains(measurements, m => m is { Name: "workflow.jobs.dead_letters", Value: 0 });

        var runId = await host.CreateRunAsync("Research the options. Write the answer", ct);
        await host.EnqueueAsync(runId, ct);
        await host.StartAsync(ct);
        var run = await host.WaitForStatusAsync(runId, WorkflowRunStatus.Completed, ct);
        await host.WaitForNoPendingAsync(ct);
        listener.RecordObservableInstruments();

        Assert.Contains(measurements, m => m is { Name: "workflow.alerts", Tag: "CostPerWorkflow", Value: 1 });
        Assert.Contains(measurements, m => m is { Name: "workflow.alerts", Tag: "StepDuration", Value: 0 });
        Assert.Equal(run.Plan!.Steps.Count, (int)measurements.Where(m => m.Name == "workflow.route.decisions").Sum(m => m.Value));
        Assert.Equal(
            run.Plan.Steps.Select(s => s.Agent).Order(),
            measurements.Where(m => m.Name == "workflow.route.decisions").Select(m => m.Tag).Order());
        var quality = Assert.Single(measurements, m => m.Name == "workflow.plan.quality_score");
        Assert.InRange(quality.Value, 0, 1);
    }
}
