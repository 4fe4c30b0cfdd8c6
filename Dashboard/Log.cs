namespace Observability.Dashboard;

/// <summary>Every log message of the dashboard.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Dashboard login: {LoginUrl}")]
    public static partial void LoginLink(ILogger logger, string loginUrl);

    [LoggerMessage(2, LogLevel.Warning, "UNSECURED: the dashboard query API is open to anyone who can reach it (Dashboard:Frontend:AuthMode=Unsecured).")]
    public static partial void FrontendUnsecured(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "UNSECURED: OTLP exports are accepted without an API key (Dashboard:Otlp:AuthMode=Unsecured).")]
    public static partial void OtlpUnsecured(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Replayed {Records} journal records ({Bytes} bytes) from {DataDirectory} in {ElapsedMs} ms.")]
    public static partial void Replayed(ILogger logger, int records, long bytes, string dataDirectory, long elapsedMs);

    [LoggerMessage(5, LogLevel.Information, "Telemetry is kept in memory only (Dashboard:Storage:DataDirectory is empty): it will not survive a restart.")]
    public static partial void MemoryOnly(ILogger logger);

    [LoggerMessage(6, LogLevel.Warning, "Could not persist an export to the journal; it is kept in memory only.")]
    public static partial void JournalWriteFailed(ILogger logger, Exception exception);
}
