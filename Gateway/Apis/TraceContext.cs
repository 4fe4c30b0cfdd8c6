using System.Diagnostics;
using System.Text;

namespace Observability.Gateway.Apis;

/// <summary>W3C Trace Context and Baggage headers for a message that leaves through the outbox.</summary>
internal static class TraceContext
{
    /// <summary>The W3C <c>traceparent</c> of <paramref name="context"/> (version 00).</summary>
    public static string FormatTraceParent(ActivityContext context)
        => $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((byte)context.TraceFlags & 1):x2}";

    /// <summary>The W3C <c>baggage</c> of <paramref name="activity"/> and its parents; null when there is none.</summary>
    public static string? FormatBaggage(Activity? activity)
    {
        if (activity is null)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var (key, value) in activity.Baggage)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty));
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
