namespace Observability.Redis.Streams;

/// <summary>One entry of the extended form of XPENDING.</summary>
public sealed record RedisPendingEntry(string Id, string Consumer, TimeSpan Idle, long DeliveryCount);
