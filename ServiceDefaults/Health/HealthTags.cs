namespace Observability.ServiceDefaults.Health;

/// <summary>The tags that put a health check in a probe.</summary>
public static class HealthTags
{
    /// <summary>Liveness (<c>/alive</c>): a failure means the process must be restarted.</summary>
    public const string Live = "live";

    /// <summary>Readiness (<c>/ready</c>): a failure means traffic must stop reaching this instance for now.</summary>
    public const string Ready = "ready";
}
