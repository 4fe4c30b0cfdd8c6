using System.Text.Json;
using System.Text.Json.Serialization;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Protocol;

/// <summary>An <c>event</c> frame: one workflow event with its id in the subscription's stream.</summary>
internal sealed record EventFrame(string Id, Guid RunId, string? SessionId, WorkflowEvent Event)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "event";
}

/// <summary>A <c>subscribed</c> frame, sent after the replayed events of a subscription.</summary>
internal sealed record SubscribedFrame(Guid? RunId, string? SessionId, int Replayed)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "subscribed";
}

/// <summary>
/// A <c>truncated</c> frame: events the client has not seen are gone from the bounded stream (trimmed, or lost with
/// Redis's data). <see cref="Run"/> (run subscriptions) or <see cref="Session"/> (session subscriptions) is the state
/// PostgreSQL holds at that moment; <see cref="Run"/> is left out when PostgreSQL has no such run.
/// </summary>
internal sealed record TruncatedFrame(Guid? RunId, string? SessionId, string? FirstAvailableId, RunState? Run = null, SessionState? Session = null)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "truncated";
}

/// <summary>A <c>heartbeat</c> frame.</summary>
internal sealed record HeartbeatFrame(DateTimeOffset Timestamp)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "heartbeat";
}

/// <summary>
/// An <c>error</c> frame; <see cref="Field"/> names the JSON field at fault when there is one. An error that answers
/// a valid <c>subscribe</c> (<c>ticket_invalid</c>, <c>too_many_subscriptions</c>, <c>unavailable</c>) names the
/// <see cref="RunId"/> or <see cref="SessionId"/> it refused, so a client following several knows which to subscribe
/// to again.
/// </summary>
internal sealed record ErrorFrame(string Code, string Message, string? Field, Guid? RunId = null, string? SessionId = null)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "error";
}

/// <summary>Source-generated JSON of the hub's frames: camelCase, enums as names, nulls left out (as the event log writes events).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClientFrame))]
[JsonSerializable(typeof(EventFrame))]
[JsonSerializable(typeof(SubscribedFrame))]
[JsonSerializable(typeof(TruncatedFrame))]
[JsonSerializable(typeof(HeartbeatFrame))]
[JsonSerializable(typeof(ErrorFrame))]
internal sealed partial class HubJsonContext : JsonSerializerContext;
