using System.Diagnostics;
using OpenTelemetry;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps a Redis client span of OpenTelemetry's StackExchange.Redis instrumentation only when it belongs to a trace: a
/// command sent outside any span (the workers' polls, the reconciler's checks, the hub's listener, the multiplexer's own
/// traffic) would otherwise be exported as a trace of one span every few seconds per process, burying the runs' traces
/// in the dashboard.
/// </summary>
/// <remarks>
/// The instrumentation's own <c>Filter</c> option could say the same (its context carries the parent span), but setting
/// it turns off the instrumentation's early drain: every profiled command would then be held until the span it was sent
/// under ends. So this processor takes the span out of the export instead: clearing
/// <see cref="ActivityTraceFlags.Recorded"/> before the exporters' processors, which skip spans that are not recorded.
/// Registered before the exporters (<c>ConfigureOpenTelemetry</c>).
/// </remarks>
internal sealed class ParentlessRedisSpanFilter : BaseProcessor<Activity>
{
    /// <summary>The ActivitySource of the instrumentation's Redis client spans.</summary>
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
