using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Observability.Gateway.Caching;

/// <summary>HybridCache's serializer for <see cref="RunSnapshot"/>: UTF-8 JSON through <see cref="RunCacheJsonContext"/>.</summary>
internal sealed class RunSnapshotSerializer : IHybridCacheSerializer<RunSnapshot>
{
    public RunSnapshot Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, RunCacheJsonContext.Default.RunSnapshot)
            ?? throw new JsonException("A cached run snapshot was JSON null.");
    }

    public void Serialize(RunSnapshot value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, RunCacheJsonContext.Default.RunSnapshot);
    }
}
