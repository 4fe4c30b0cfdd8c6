using System.Text;

namespace Observability.Redis.PubSub;

/// <summary>One message received on a subscribed channel (or on a channel matching a subscribed pattern).</summary>
public sealed record RedisPubSubMessage(string Channel, string? Pattern, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The payload decoded as UTF-8.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);
}
