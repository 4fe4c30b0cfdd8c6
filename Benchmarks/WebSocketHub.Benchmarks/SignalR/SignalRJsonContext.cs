using System.Text.Json;
using System.Text.Json.Serialization;
using Observability.Workflows.Messaging;

namespace Observability.WebSocketHub.Benchmarks.SignalR;

/// <summary>The <c>event</c> invocation's argument: the same fields as our hub's event frame (its stream id, run, session, the event).</summary>
internal sealed record SignalREventFrame(string Id, Guid RunId, string SessionId, WorkflowEvent Event);

/// <summary>Source-generated JSON for the SignalR hub's payloads, with the options our hub's frames use (camelCase, enums as names, nulls left out).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignalREventFrame))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class SignalRJsonContext : JsonSerializerContext;
