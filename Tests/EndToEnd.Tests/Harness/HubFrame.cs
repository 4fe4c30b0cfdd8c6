using System.Text.Json;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>One JSON frame the WebSocketHub sent (<c>subscribed</c>, <c>event</c>, <c>heartbeat</c>, <c>error</c>, <c>truncated</c>).</summary>
internal sealed class HubFrame(string text)
{
    private readonly JsonElement _root = JsonDocument.Parse(text).RootElement.Clone();

    public string Text { get; } = text;

    public string Type => String(_root, "type") ?? string.Empty;

    /// <summary>The stream id of an <c>event</c> frame (the client's "last event id").</summary>
    public string? Id => String(_root, "id");

    public bool IsEvent => Type == "event";

    /// <summary>The <c>event.type</c> of an event frame (Queued, Planned, StepStarted, ..., Completed).</summary>
    public string? EventType => _root.TryGetProperty("event", out var e) ? String(e, "type") : null;

    /// <summary>The per-run <c>event.sequence</c> of an event frame.</summary>
    public long Sequence => _root.GetProperty("event").GetProperty("sequence").GetInt64();

    public Guid? EventRunId => _root.TryGetProperty("event", out var e) && e.TryGetProperty("runId", out var id) ? id.GetGuid() : null;

    public JsonElement Root => _root;

    public override string ToString() => Text;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
