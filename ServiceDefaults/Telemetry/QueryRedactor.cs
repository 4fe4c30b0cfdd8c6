using System.Text;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Replaces every query-string value with <c>REDACTED</c> and keeps the keys (<c>a=1&amp;b</c> becomes
/// <c>a=REDACTED&amp;b</c>), as the HTTP semantic conventions recommend: values often carry tokens or personal data.
/// </summary>
internal static class QueryRedactor
{
    public const string Redacted = "REDACTED";

    /// <summary>Redacts a query without its leading <c>?</c>.</summary>
    public static string Redact(ReadOnlySpan<char> query)
    {
        var builder = new StringBuilder(query.Length + 16);
        while (!query.IsEmpty)
        {
            var end = query.IndexOf('&');
            var part = end < 0 ? query : query[..end];
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                builder.Append(part);
            }
            else
            {
                builder.Append(part[..(equals + 1)]).Append(Redacted);
            }

            if (end < 0)
            {
                break;
            }

            builder.Append('&');
            query = query[(end + 1)..];
        }

        return builder.ToString();
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
}
