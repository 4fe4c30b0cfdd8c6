using Microsoft.Extensions.Logging;

namespace Observability.Workflows;

/// <summary>The workflow domain's log messages.</summary>
internal static partial class WorkflowsLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Carried the workflow database of the SQL migrator (schema versions 1 and 2) over to EF Core migrations")]
    public static partial void LegacySchemaCarriedOver(ILogger logger);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Idempotent replay of run {RunId}")]
    public static partial void IdempotentReplay(ILogger logger, Guid runId);
}
