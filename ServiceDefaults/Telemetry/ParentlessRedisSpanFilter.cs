using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps a Redis client span of Aspire's StackExchange.Redis integration only when it belongs to a trace: a command sent
/// outside any span (the workers' polls, the reconciler's checks, the hub's listener, the multiplexer's own traffic)
/// would otherwise be exported as a trace of one span every few seconds per process, burying the runs' traces in the
/// dashboard.
/// </summary>
/// <remarks>
/// The integration's own filter is internal (its <c>StackExchangeRedisInstrumentationOptions</c> is compiled into
/// <c>Aspire.StackExchange.Redis.dll</c> and not configurable), so this processor takes the span out of the export
/// instead: clearing <see cref="ActivityTraceFlags.Recorded"/> before the exporters' processors, which skip spans that
/// are not recorded. Registered before the exporters (<c>ConfigureOpenTelemetry</c>).
/// </remarks>
internal sealed class ParentlessRedisSpanFilter : BaseProcessor<Activity>
{
    /// <summary>The ActivitySource of the integration's Redis client spans.</summary>
    public const string SourceName = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.ParentSpanId == default && data.Source.Name == SourceName)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
