namespace Observability.EndToEnd.Tests.Harness;

/// <summary>What one platform instance starts, and the settings a test turns beyond what the AppHost injects.</summary>
internal sealed class PlatformOptions
{
    /// <summary>Start the WebSocketHub (the gateway's <c>eventsUrl</c> points at it). Default true.</summary>
    public bool StartHub { get; init; } = true;

    /// <summary>Workers started with the platform. Default 1.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Redis keeps an append-only file (everysec), so a restart after a kill finds its data. Default false.</summary>
    public bool RedisAppendOnly { get; init; }

    /// <summary>Export every service's telemetry to an OTLP capture receiver. Default false.</summary>
    public bool CaptureTelemetry { get; init; }

    /// <summary>Worker settings laid over <see cref="Platform.DefaultWorkerSettings"/> (environment variable names).</summary>
    public IReadOnlyDictionary<string, string> WorkerSettings { get; init; } = new Dictionary<string, string>();
}
