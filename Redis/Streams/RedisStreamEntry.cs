using System.Text;

namespace Observability.Redis.Streams;

/// <summary>A stream entry: its id and fields in order (empty when the entry was deleted meanwhile).</summary>
public sealed record RedisStreamEntry(string Id, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Fields)
{
    /// <summary>The first field called <paramref name="name"/> decoded as UTF-8, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var field in Fields)
            {
                if (field.Key == name)
                {
                    return Encoding.UTF8.GetString(field.Value.Span);
                }
            }

            return null;
        }
    }

    internal static RedisStreamEntry FromReply(RedisReply reply)
    {
        var id = reply.Elements[0].AsString() ?? "";
        var fields = reply.Elements.Count > 1
            ? reply.Elements[1].AsPairs().Select(pair => new KeyValuePair<string, ReadOnlyMemory<byte>>(pair.Key.AsString() ?? "", pair.Value.Bytes ?? ReadOnlyMemory<byte>.Empty)).ToArray()
            : [];
        return new RedisStreamEntry(id, fields);
    }

    internal static IReadOnlyList<RedisStreamEntry> ListFromReply(RedisReply reply) =>
        reply.IsNull ? [] : reply.Elements.Select(FromReply).ToArray();
}
