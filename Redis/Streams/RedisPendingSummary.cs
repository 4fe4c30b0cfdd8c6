namespace Observability.Redis.Streams;

/// <summary>The summary form of XPENDING: count, id range and per-consumer counts.</summary>
public sealed record RedisPendingSummary(long Count, string? LowestId, string? HighestId, IReadOnlyDictionary<string, long> Consumers);
