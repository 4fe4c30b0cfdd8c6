using System.Text.Json;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Tests;

/// <summary>Workflow events for tests: sequence numbers make order, gaps and duplicates visible.</summary>
internal static class TestEvents
{
    public static WorkflowEvent Create(Guid runId, long sequence, int payloadBytes = 0)
    {
        JsonElement? payload = payloadBytes > 0
            ? JsonSerializer.SerializeToElement(new string('x', payloadBytes))
            : null;
        return new WorkflowEvent(Guid.NewGuid(), runId, sequence, WorkflowEventType.StepStarted, DateTimeOffset.UtcNow, payload);
    }

    /// <summary>
    /// The <c>Queued</c> event a worker publishes when it starts <paramref name="attempt"/> on an empty stream;
    /// <paramref name="resumed"/>: whether the run already had its plan (null: a worker before that field).
    /// </summary>
    public static WorkflowEvent Queued(Guid runId, long sequence, int attempt, bool? resumed = false) =>
        new(Guid.NewGuid(), runId, sequence, WorkflowEventType.Queued, DateTimeOffset.UtcNow, resumed is { } value
            ? JsonSerializer.SerializeToElement(new { queuedAt = DateTimeOffset.UtcNow, attempt, resumed = value })
            : JsonSerializer.SerializeToElement(new { queuedAt = DateTimeOffset.UtcNow, attempt }));

    /// <summary>An event of <paramref name="type"/> without payload (e.g. a run's final <c>Completed</c>).</summary>
    public static WorkflowEvent Of(Guid runId, long sequence, WorkflowEventType type) =>
        new(Guid.NewGuid(), runId, sequence, type, DateTimeOffset.UtcNow, null);

    public static string NewSessionId() => "session-" + Guid.NewGuid().ToString("N");
}
