using Microsoft.Extensions.Logging;

namespace Observability.Workflows;

/// <summary>The workflow domain's log messages.</summary>
internal static partial class WorkflowsLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Carried the workflow database of the SQL migrator (schema versions 1 and 2) over to EF Core migrations")]
    public static partial void LegacySchemaCarriedOver(ILogger logger);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Idempotent replay of run {RunId}")]
    public static partial void IdempotentReplay(ILogger logger, Guid runId);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "A batch of {Count} statements failed on the server ({SqlState}); nothing of it was applied, running its statements one by one")]
    public static partial void BatchFailedRunningOneByOne(ILogger logger, int count, string sqlState, Exception exception);
}
