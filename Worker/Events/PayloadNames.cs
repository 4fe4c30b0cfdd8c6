using System.Text.Json;

namespace Observability.Worker.Events;

/// <summary>The property names of the events' payloads, encoded once (camelCase, as the hub, the Gateway and the tests read them).</summary>
internal static class PayloadNames
{
    public static readonly JsonEncodedText Agent = JsonEncodedText.Encode("agent");
    public static readonly JsonEncodedText AlertId = JsonEncodedText.Encode("alertId");
    public static readonly JsonEncodedText Attempt = JsonEncodedText.Encode("attempt");
    public static readonly JsonEncodedText Cost = JsonEncodedText.Encode("cost");
    public static readonly JsonEncodedText DependsOn = JsonEncodedText.Encode("dependsOn");
    public static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    public static readonly JsonEncodedText DurationSeconds = JsonEncodedText.Encode("durationSeconds");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText Explanation = JsonEncodedText.Encode("explanation");
    public static readonly JsonEncodedText FallbackReason = JsonEncodedText.Encode("fallbackReason");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText InputTokens = JsonEncodedText.Encode("inputTokens");
    public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    public static readonly JsonEncodedText ObservedValue = JsonEncodedText.Encode("observedValue");
    public static readonly JsonEncodedText OutputTokens = JsonEncodedText.Encode("outputTokens");
    public static readonly JsonEncodedText QualityScore = JsonEncodedText.Encode("qualityScore");
    public static readonly JsonEncodedText QueuedAt = JsonEncodedText.Encode("queuedAt");
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    public static readonly JsonEncodedText Resumed = JsonEncodedText.Encode("resumed");
    public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Step = JsonEncodedText.Encode("step");
    public static readonly JsonEncodedText Steps = JsonEncodedText.Encode("steps");
    public static readonly JsonEncodedText Threshold = JsonEncodedText.Encode("threshold");
}
