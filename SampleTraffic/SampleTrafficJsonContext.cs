using System.Text.Json;
using System.Text.Json.Serialization;

namespace Observability.SampleTraffic;

/// <summary>Source-generated JSON for the gateway's submit request and answer (camelCase, as the gateway speaks).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SampleWorkflow))]
[JsonSerializable(typeof(SubmittedWorkflow))]
internal sealed partial class SampleTrafficJsonContext : JsonSerializerContext;
