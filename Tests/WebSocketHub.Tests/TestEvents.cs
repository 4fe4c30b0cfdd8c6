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

    public static string NewSessionId() => "session-" + Guid.NewGuid().ToString("N");
}
