using System.Text.Json;
using System.Text.Json.Serialization;
using Observability.Workflows.Messaging;

namespace Observability.LoadTest;

/// <summary>The body of <c>POST /api/workflows</c>.</summary>
internal sealed record SubmitRequest(string Task, string SessionId);

/// <summary>What the load test reads from a submit's answer (the rest is ignored).</summary>
internal sealed record SubmitResponse(Guid RunId, string? EventsUrl, string EventsTicket);

/// <summary>A <c>subscribe</c> (with the run's ticket, and the last event id seen when subscribing again) or <c>unsubscribe</c> frame for one run.</summary>
internal sealed record RunFrame(string Type, Guid RunId, string? Ticket, string? LastEventId = null);

/// <summary>
/// What the load test reads from a hub frame: its type; for <c>event</c> the entry id, the run and the event's number
/// and type; for <c>error</c> the code and the run it refused; for <c>truncated</c> the run.
/// </summary>
internal sealed record HubFrame(string? Type, string? Id, Guid? RunId, HubFrameEvent? Event, string? Code);

/// <summary>The part of an event the load test checks.</summary>
internal sealed record HubFrameEvent(long Sequence, WorkflowEventType Type);

/// <summary>Source-generated JSON of the wire formats above, as the Gateway and the hub write them (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(SubmitResponse))]
[JsonSerializable(typeof(RunFrame))]
[JsonSerializable(typeof(HubFrame))]
internal sealed partial class LoadTestJsonContext : JsonSerializerContext;
