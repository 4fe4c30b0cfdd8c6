using System.Diagnostics;
using Observability.Redis.Streams;
using Observability.Worker.Monitoring;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Jobs;

/// <summary>Starts the consumer span of a job entry, continuing the producer's trace from its W3C fields.</summary>
internal static class JobTrace
{
    public const string SpanName = WorkflowStreams.Jobs + " process";

    public static Activity? StartProcess(RedisStreamEntry entry, string consumer)
    {
        var traceParent = entry[WorkflowStreams.TraceParentField];
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = WorkerTelemetry.Source.StartActivity(SpanName, ActivityKind.Consumer, parent);
        if (activity is null)
        {
            return null;
        }

        foreach (var (key, value) in ParseBaggage(entry[WorkflowStreams.BaggageField]))
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
            activity.SetTag("messaging.message.id", entry.Id);
            activity.SetTag("messaging.client.id", consumer);
        }

        return activity;
    }

    /// <summary>W3C baggage: <c>key=value</c> members separated by commas, properties after <c>;</c> ignored, values percent-encoded.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseBaggage(string? baggage)
    {
        if (string.IsNullOrWhiteSpace(baggage))
        {
            yield break;
        }

        foreach (var member in baggage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = member.Split(';', 2)[0];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = pair[..equals].Trim();
            var value = Uri.UnescapeDataString(pair[(equals + 1)..].Trim());
            yield return new KeyValuePair<string, string>(key, value);
        }
    }
}
