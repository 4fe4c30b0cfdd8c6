using System.Buffers;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Replaces every query-string value with <c>REDACTED</c> and keeps the keys (<c>a=1&amp;b</c> becomes
/// <c>a=REDACTED&amp;b</c>), as the HTTP semantic conventions recommend: values often carry tokens or personal data.
/// </summary>
internal static class QueryRedactor
{
    public const string Redacted = "REDACTED";

    /// <summary>Redacts a query without its leading <c>?</c>; allocates only the result.</summary>
    public static string Redact(ReadOnlySpan<char> query)
    {
        var length = RedactedLength(query);
        char[]? rented = null;
        var buffer = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = 0;
            var rest = query;
            while (true)
            {
                var end = rest.IndexOf('&');
                var part = end < 0 ? rest : rest[..end];
                var equals = part.IndexOf('=');
                var kept = equals < 0 ? part : part[..(equals + 1)];
                kept.CopyTo(buffer[written..]);
                written += kept.Length;
                if (equals >= 0)
                {
                    Redacted.CopyTo(buffer[written..]);
                    written += Redacted.Length;
                }

                if (end < 0)
                {
                    return new string(buffer[..written]);
                }

                buffer[written++] = '&';
                rest = rest[(end + 1)..];
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Redacts the query of a full URL (<c>url.full</c>); the fragment, if any, is dropped.</summary>
    public static string RedactUrl(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return url;
        }

        var query = url.AsSpan(question + 1);
        var hash = query.IndexOf('#');
        if (hash >= 0)
        {
            query = query[..hash];
        }

        return string.Concat(url.AsSpan(0, question + 1), Redact(query));
    }

    private static int RedactedLength(ReadOnlySpan<char> query)
    {
        var length = 0;
        while (true)
        {
            var end = query.IndexOf('&');
            var part = end < 0 ? query : query[..end];
            var equals = part.IndexOf('=');
            length += equals < 0 ? part.Length : equals + 1 + Redacted.Length;
            if (end < 0)
            {
                return length;
            }

            length++;
            query = query[(end + 1)..];
        }
    }
}
