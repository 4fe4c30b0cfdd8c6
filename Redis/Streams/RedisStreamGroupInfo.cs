namespace Observability.Redis.Streams;

/// <summary>One consumer group as XINFO GROUPS reports it.</summary>
public sealed record RedisStreamGroupInfo(string Name, long Consumers, long Pending, string? LastDeliveredId, long? Lag);
