using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Observability.Redis.Caching;

/// <summary>How <see cref="RedisCache"/> turns values into bytes and back.</summary>
public sealed record RedisCacheSerializer<T>(Func<T, byte[]> Serialize, Func<ReadOnlyMemory<byte>, T> Deserialize);

/// <summary>Ready-made serializers.</summary>
public static class RedisCacheSerializer
{
    /// <summary>UTF-8 text.</summary>
    public static RedisCacheSerializer<string> Utf8 { get; } = new(Encoding.UTF8.GetBytes, bytes => Encoding.UTF8.GetString(bytes.Span));

    /// <summary>System.Text.Json with source-generated metadata (<c>MyContext.Default.MyType</c>).</summary>
    public static RedisCacheSerializer<T> Json<T>(JsonTypeInfo<T> typeInfo) => new(
        value => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo),
        bytes => JsonSerializer.Deserialize(bytes.Span, typeInfo) ?? throw new JsonException("The cached JSON is null."));
}
