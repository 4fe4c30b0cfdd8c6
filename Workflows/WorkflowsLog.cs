using Microsoft.Extensions.Logging;

namespace Observability.Workflows;

/// <summary>The workflow domain's log messages.</summary>
internal static partial class WorkflowsLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Debug, Message = "Workflow schema is up to date at version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, int version);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Idempotent replay of run {RunId}")]
    public static partial void IdempotentReplay(ILogger logger, Guid runId);
}
