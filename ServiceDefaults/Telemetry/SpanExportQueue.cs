using Microsoft.Extensions.Configuration;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// The size of the queue in front of the span exporter (<c>OTEL_BSP_MAX_QUEUE_SIZE</c>, the OpenTelemetry SDK's own
/// setting): <see cref="DefaultSize"/> unless the deployment sets it.
/// </summary>
/// <remarks>
/// The SDK's default, 2,048 spans, drops spans whenever more than that end before the exporter thread takes them, and
/// the Redis client spans always end that way: the StackExchange.Redis instrumentation compiled into
/// <c>Aspire.StackExchange.Redis</c> records commands in profiling sessions and turns all those finished in the last
/// 10 s into spans at once (its <c>FlushInterval</c>, which the integration neither exposes nor binds to
/// configuration). A worker completing more than ~20 five-step runs per second (≈ 10 Redis commands each) overflows
/// the default queue every 10 s and loses most of its Redis spans and the other spans that end during the burst
/// (docs/benchmarks.md, "Every span exported", issue #15). 131,072 holds ten seconds of a worker at ~1,000 runs/s;
/// it costs a 1 MiB array of references per process, and memory for the spans waiting in it, which the
/// instrumentation held as profiled commands anyway.
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
