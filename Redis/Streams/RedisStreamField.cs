namespace Observability.Redis.Streams;

/// <summary>One field of a stream entry to add.</summary>
public readonly record struct RedisStreamField(RedisValue Name, RedisValue Value);
