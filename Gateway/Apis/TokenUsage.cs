namespace Observability.Gateway.Apis;

/// <summary>Token counts of a run.</summary>
internal sealed record TokenUsage(long Input, long Output, long Total);
