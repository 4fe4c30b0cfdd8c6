using System.Diagnostics;

namespace Observability.Redis.Telemetry;

/// <summary>Names of the client's ActivitySource, Meter and semantic-convention attributes.</summary>
public static class RedisTelemetry
{
    /// <summary>The name of both the ActivitySource and the Meter.</summary>
    public const string SourceName = "Observability.Redis";

    internal const string DbSystemName = "db.system.name";
    internal const string DbOperationName = "db.operation.name";
    internal const string DbNamespace = "db.namespace";
    internal const string ServerAddress = "server.address";
    internal const string ServerPort = "server.port";
    internal const string ErrorType = "error.type";

    internal static ActivitySource ActivitySource { get; } = new(SourceName);
}
