using System.Buffers;
using System.Text;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Masks the values of sensitive keys written inside text: <c>key=value</c> pairs (connection strings, query
/// strings, command lines) and quoted JSON properties (<c>"key": "value"</c>). A hand-written scan rather than a
/// regular expression, so that every <c>=</c> is judged on its own key and nothing is allocated until a
/// sensitive key is found.
/// </summary>
internal static class KeyValueMasker
{
    private static readonly SearchValues<char> ValueTerminators = SearchValues.Create(";&\r\n");

    public static string Mask(string text, SensitiveKeySet keys)
    {
        StringBuilder? builder = null;
        var copied = 0;
        var position = 0;
        while (position < text.Length)
        {
            var separator = text.AsSpan(position).IndexOfAny('=', ':');
            if (separator < 0)
            {
                break;
            }

            separator += position;
            var (valueStart, valueEnd) = text[separator] == '='
                ? FindAssignedValue(text, separator, keys)
                : FindJsonValue(text, separator, keys);

            if (valueStart < 0 || SensitiveDataMasker.IsMasked(text.AsSpan(valueStart, valueEnd - valueStart)))
            {
                position = separator + 1;
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, valueStart - copied).Append(SensitiveDataMasker.Mask);
            copied = valueEnd;
            position = Math.Max(valueEnd, separator + 1);
        }

        if (builder is null)
        {
            return text;
        }

        builder.Append(text, copied, text.Length - copied);
        return builder.ToString();
    }

    // key = value: the key is the run of [A-Za-z0-9_.-] before the '=' (spaces allowed before the '=');
    // the value runs to the next ';', '&' or line break, or is a quoted string.
    private static (int Start, int End) FindAssignedValue(string text, int equals, SensitiveKeySet keys)
    {
        var keyEnd = equals;
        while (keyEnd > 0 && text[keyEnd - 1] is ' ' or '\t')
        {
            keyEnd--;
        }

        var keyStart = keyEnd;
        while (keyStart > 0 && IsKeyChar(text[keyStart - 1]))
        {
            keyStart--;
        }

        if (keyStart == keyEnd || !keys.IsSensitive(text.AsSpan(keyStart, keyEnd - keyStart)))
        {
            return (-1, -1);
        }

        var start = equals + 1;
        while (start < text.Length && text[start] is ' ' or '\t')
        {
            start++;
        }

        if (start < text.Length && text[start] is '"' or '\'')
        {
            var close = text.IndexOf(text[start], start + 1);
            return close < 0 ? (start + 1, text.Length) : (start + 1, close);
        }

        var end = text.AsSpan(start).IndexOfAny(ValueTerminators);
        return (start, end < 0 ? text.Length : start + end);
    }

    // "key": "value": only quoted keys with quoted string values, so times and URLs never match.
    private static (int Start, int End) FindJsonValue(string text, int colon, SensitiveKeySet keys)
    {
        var keyClose = colon - 1;
        while (keyClose >= 0 && text[keyClose] is ' ' or '\t')
        {
            keyClose--;
        }

        if (keyClose <= 0 || text[keyClose] != '"')
        {
            return (-1, -1);
        }

        var keyOpen = text.LastIndexOf('"', keyClose - 1);
        if (keyOpen < 0 || !keys.IsSensitive(text.AsSpan(keyOpen + 1, keyClose - keyOpen - 1)))
        {
            return (-1, -1);
        }

        var start = colon + 1;
        while (start < text.Length && text[start] is ' ' or '\t')
        {
            start++;
        }

        if (start >= text.Length || text[start] != '"')
        {
            return (-1, -1);
        }

        var end = start + 1;
        while (end < text.Length && text[end] != '"')
        {
            end += text[end] == '\\' ? 2 : 1;
        }

        return (start + 1, Math.Min(end, text.Length));
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
