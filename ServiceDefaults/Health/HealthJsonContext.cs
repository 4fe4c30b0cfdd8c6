using System.Text.Json.Serialization;

namespace Observability.ServiceDefaults.Health;

/// <summary>Source-generated JSON for the <c>/status</c> document (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthStatusDocument))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
