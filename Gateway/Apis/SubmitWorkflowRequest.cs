using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Observability.Gateway.Apis;

/// <summary>The body of <c>POST /api/workflows</c>.</summary>
internal sealed record SubmitWorkflowRequest(string? Task, string? SessionId, string? Agent, string? Model, string? Mode)
{
    /// <summary>How the body is read: <see cref="JsonSerializerDefaults.Web"/> (camelCase, names matched case-insensitively).</summary>
    public static readonly JsonTypeInfo<SubmitWorkflowRequest> JsonTypeInfo =
        (JsonTypeInfo<SubmitWorkflowRequest>)JsonSerializerOptions.Web.GetTypeInfo(typeof(SubmitWorkflowRequest));
}
