using System.Text.Json;
using System.Text.Json.Serialization;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Messaging;

/// <summary>Source-generated JSON for the workflow wire formats and the stored plan: camelCase, enums as names.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkflowJobMessage))]
[JsonSerializable(typeof(WorkflowEvent))]
[JsonSerializable(typeof(PublishedWorkflowEvent))]
[JsonSerializable(typeof(WorkflowPlan))]
public sealed partial class WorkflowsJsonContext : JsonSerializerContext;
