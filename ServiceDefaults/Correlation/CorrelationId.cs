using System.Diagnostics;

namespace Observability.ServiceDefaults.Correlation;

/// <summary>
/// The correlation ID of the work in progress. It travels as the W3C baggage entry <see cref="BaggageKey"/>, so it
/// follows the trace across HTTP calls and queue hops, and is echoed to callers in <see cref="HeaderName"/>.
/// </summary>
public static class CorrelationId
{
    /// <summary>The HTTP header a caller may send and every response carries.</summary>
    public const string HeaderName = "X-Correlation-ID";

    /// <summary>The baggage key, also the span attribute and log attribute name.</summary>
    public const string BaggageKey = "correlation.id";

    /// <summary>The longest correlation ID accepted from a caller.</summary>
    public const int MaxLength = 128;

    /// <summary>The correlation ID of the current activity (from its baggage), or null outside any.</summary>
    public static string? Current => Activity.Current?.GetBaggageItem(BaggageKey);

    /// <summary>True when <paramref name="value"/> is 1 to 128 characters of <c>[A-Za-z0-9._-]</c>.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A new correlation ID: 32 lowercase hex characters.</summary>
    public static string New() => Guid.NewGuid().ToString("N");
}
