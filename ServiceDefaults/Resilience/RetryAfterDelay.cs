namespace Observability.ServiceDefaults.Resilience;

/// <summary>Reads the <c>Retry-After</c> header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.</summary>
internal static class RetryAfterDelay
{
    /// <summary>
    /// The wait the server asked for, never negative and never above <paramref name="cap"/>; <see langword="false"/>
    /// when the response carries no usable header.
    /// </summary>
    public static bool TryGet(HttpResponseMessage response, DateTimeOffset now, TimeSpan cap, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var header = response.Headers.RetryAfter;
        TimeSpan? asked = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        if (asked is not { } value)
        {
            return false;
        }

        delay = value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
        return true;
    }
}
