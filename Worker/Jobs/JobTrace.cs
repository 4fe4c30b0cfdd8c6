using System.Diagnostics;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Worker.Jobs;

/// <summary>Starts the consumer span of a job entry, continuing the producer's trace from its W3C fields.</summary>
internal static class JobTrace
{
    public const string SpanName = WorkflowStreams.Jobs + " process";

    public static Activity? StartProcess(StreamEntry entry, string consumer)
    {
        var context = MessageTraceContext.Extract(entry[WorkflowStreams.TraceParentField], entry[WorkflowStreams.BaggageField]);
        var activity = WorkerTelemetry.Source.StartActivity(SpanName, ActivityKind.Consumer, context.ActivityContext);
        if (activity is null)
        {
            return null;
        }

        foreach (var (key, value) in context.Baggage)
        {
            activity.SetBaggage(key, value);
            if (key == "correlation.id")
            {
                activity.SetTag("correlation.id", value);
            }
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", WorkflowStreams.Jobs);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.consumer.group.name", WorkflowStreams.WorkersGroup);
            activity.SetTag("messaging.message.id", entry.Id.ToString());
            activity.SetTag("messaging.client.id", consumer);
        }

        return activity;
    }
}
