using Microsoft.Extensions.Logging;

namespace Observability.AppHost.LocalServers;

internal static partial class LocalServersLog
{
    [LoggerMessage(1, LogLevel.Information, "Created the PostgreSQL cluster in {Directory}.")]
    public static partial void ClusterCreated(ILogger logger, string directory);

    [LoggerMessage(2, LogLevel.Information, "Created the database '{Database}'.")]
    public static partial void DatabaseCreated(ILogger logger, string database);
}
