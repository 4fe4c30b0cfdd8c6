using System.Text.Json;
using System.Text.Json.Serialization;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>Source-generated JSON for the query API (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ResourcesResponse))]
[JsonSerializable(typeof(TraceListResponse))]
[JsonSerializable(typeof(TraceDto))]
[JsonSerializable(typeof(LogListResponse))]
[JsonSerializable(typeof(List<InstrumentDto>))]
[JsonSerializable(typeof(SeriesResponse))]
[JsonSerializable(typeof(TelemetryChange))]
[JsonSerializable(typeof(ImportResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
