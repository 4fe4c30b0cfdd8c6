using System.Text.Json;
using System.Text.Json.Serialization;

namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>The body of <c>POST /api/echo</c>.</summary>
internal sealed record Submission(string Name);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Submission))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext;
