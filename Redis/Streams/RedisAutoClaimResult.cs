namespace Observability.Redis.Streams;

/// <summary>The reply of XAUTOCLAIM: where to continue, the claimed entries, and ids that no longer exist.</summary>
public sealed record RedisAutoClaimResult(string NextStartId, IReadOnlyList<RedisStreamEntry> Entries, IReadOnlyList<string> DeletedIds);
