namespace Observability.SampleTraffic;

/// <summary>The sample traffic's log messages.</summary>
internal static partial class SampleTrafficLog
{
    [LoggerMessage(1, LogLevel.Information, "Submitted run {RunId}: \"{Task}\" (trace {TraceId})")]
    public static partial void Submitted(ILogger logger, Guid runId, string task, string? traceId);

    [LoggerMessage(2, LogLevel.Warning, "Submitting a sample workflow to {Gateway} failed; trying again at the next interval")]
    public static partial void SubmitFailed(ILogger logger, Exception exception, Uri gateway);
}
