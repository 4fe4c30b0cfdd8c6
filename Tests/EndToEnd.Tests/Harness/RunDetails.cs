using System.Text.Json;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>What <c>GET /api/workflows/{id}</c> answers (the fields the tests read).</summary>
internal sealed record RunDetails(
    Guid RunId,
    string Status,
    JsonElement? Plan,
    IReadOnlyList<RunStep> Steps,
    RunTokens Tokens,
    decimal Cost,
    int AttemptCount,
    string? DeadLetterReason,
    string? TraceId,
    DateTimeOffset? CompletedAt)
{
    public override string ToString() =>
        $"{Status} attempts={AttemptCount} steps=[{string.Join(", ", Steps.Select(s => $"{s.Id}:{s.Status}"))}] deadLetterReason={DeadLetterReason}";
}

/// <summary>One step of <see cref="RunDetails"/>.</summary>
internal sealed record RunStep(string Id, string? Agent, string? Explanation, string Status, RunTokens Tokens, decimal Cost, string? Error);

/// <summary>Token counts of a run or step.</summary>
internal sealed record RunTokens(long Input, long Output, long Total);
