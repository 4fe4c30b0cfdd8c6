namespace Observability.SampleTraffic;

/// <summary>The tasks the sample traffic submits, in turn.</summary>
internal static class SampleTasks
{
    private static readonly string[] Tasks =
    [
        "Compare three vector databases for a RAG system",
        "Summarize the trade-offs of event sourcing for an order service",
        "Draft a rollout plan for moving a monolith's reports to a read replica",
        "Review a retry policy for a payment API and list its risks",
        "Plan load tests for a WebSocket notification service",
    ];

    /// <summary>The <paramref name="index"/>-th task, round robin.</summary>
    public static string At(long index) => Tasks[(int)(index % Tasks.Length)];
}
