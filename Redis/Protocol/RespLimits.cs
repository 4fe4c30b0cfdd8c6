namespace Observability.Redis.Protocol;

/// <summary>Bounds the parser enforces so that a broken or hostile peer cannot make it allocate without limit.</summary>
internal sealed record RespLimits(long MaxBulkLength, long MaxAggregateLength, int MaxDepth, int MaxLineLength)
{
    /// <summary>Redis's own bounds: 512 MB bulk strings (<c>proto-max-bulk-len</c>), 128 levels of nesting.</summary>
    public static RespLimits Default { get; } = new(512L * 1024 * 1024, 1L << 28, 128, 64 * 1024);
}
