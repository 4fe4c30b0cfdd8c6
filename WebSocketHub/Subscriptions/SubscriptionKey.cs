using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>What a subscription follows: one run (<see cref="RunId"/>) or one session (<see cref="SessionId"/>).</summary>
internal readonly record struct SubscriptionKey(Guid? RunId, string? SessionId)
{
    public bool IsRun => RunId is not null;

    /// <summary>The Redis stream the subscription replays from.</summary>
    public string StreamKey => RunId is { } runId ? WorkflowStreams.Events(runId) : WorkflowStreams.SessionEvents(SessionId!);

    public override string ToString() => RunId is { } runId ? $"run {runId:N}" : $"session {SessionId}";
}
