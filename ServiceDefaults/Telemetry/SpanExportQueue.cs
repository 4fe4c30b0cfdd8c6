using Microsoft.Extensions.Configuration;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// The size of the queue in front of the span exporter (<c>OTEL_BSP_MAX_QUEUE_SIZE</c>, the OpenTelemetry SDK's own
/// setting): <see cref="DefaultSize"/> unless the deployment sets it.
/// </summary>
/// <remarks>
/// The SDK's default, 2,048 spans, drops spans whenever more than that end before the exporter thread takes them. The
/// Redis client spans end that way: OpenTelemetry's StackExchange.Redis instrumentation records commands in profiling
/// sessions and turns those finished since its last drain into spans at once. With the copy compiled into
/// <c>Aspire.StackExchange.Redis</c> the drain came every 10 s, and a worker completing more than ~20 five-step runs
/// per second overflowed the default queue (docs/benchmarks.md, "Every span exported", issue #15). The services now
/// take the instrumentation package, which drains every 100 ms while commands come: the bursts are smaller, but a
/// worker at ~600 runs/s with every span exported still dropped 30,626 and 78,596 spans in two runs with 2,048 (the
/// exporter thread shares two busy cores), none with this size. 131,072 holds ten seconds of a worker at ~1,000
/// runs/s; it costs a 1 MiB array of references per process, and memory for the spans waiting in it.
/// </remarks>
internal static class SpanExportQueue
{
    /// <summary>The SDK's configuration key (environment variable) for the span batch processor's queue.</summary>
    public const string SizeKey = "OTEL_BSP_MAX_QUEUE_SIZE";

    /// <summary>Spans the queue holds when the deployment does not say.</summary>
    public const int DefaultSize = 131_072;

    /// <summary>Sets <see cref="SizeKey"/> to <see cref="DefaultSize"/> when <paramref name="configuration"/> has no value for it.</summary>
    public static void SetDefaultSize(IConfigurationManager configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[SizeKey]))
        {
            configuration.AddInMemoryCollection([new(SizeKey, DefaultSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
    }
}
