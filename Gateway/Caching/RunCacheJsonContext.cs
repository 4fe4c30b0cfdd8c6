using System.Text.Json;
using System.Text.Json.Serialization;

namespace Observability.Gateway.Caching;

/// <summary>The cache's wire format in Redis (source-generated; statuses by name so a reordered enum cannot misread an entry).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunSnapshot))]
internal sealed partial class RunCacheJsonContext : JsonSerializerContext;
