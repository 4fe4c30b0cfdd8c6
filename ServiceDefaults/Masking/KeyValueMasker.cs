using System.Buffers;
using System.Text;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Masks the values of sensitive keys written inside text: <c>key=value</c> pairs (connection strings, query
/// strings, command lines) and quoted JSON properties (<c>"key": "value"</c>, also escaped inside a JSON string:
/// <c>\"key\": \"value\"</c>). Only the value is replaced, never the text after it, so a JSON document that holds
/// a secret in one of its strings (LLM messages, tool arguments) stays valid JSON. A hand-written scan rather than
/// a regular expression, so that every <c>=</c> is judged on its own key and nothing is allocated until a sensitive
/// key is found.
/// </summary>
internal static class KeyValueMasker
{
    // An unquoted value ends at a pair separator, white space, or a quote or backslash (the end of the JSON string
    // the text may sit in), so masking never swallows what follows the secret.
    private static readonly SearchValues<char> ValueTerminators = SearchValues.Create(";&\"'\\ \t\r\n");

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

    // key = value: the key is the run of [A-Za-z0-9_.-] before the '=' (spaces allowed before the '='); the value is
    // a quoted string (also with escaped quotes, \"...\"), or runs to the next ValueTerminators character.
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

        if (IsEscapedQuote(text, start))
        {
            return EscapedStringValue(text, start);
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

        // Inside a JSON string, a nested document's quotes are escaped: \"key\": \"value\".
        var escaped = text[keyClose - 1] == '\\';
        var keyOpen = escaped ? text.LastIndexOf("\\\"", keyClose - 2, StringComparison.Ordinal) + 1 : text.LastIndexOf('"', keyClose - 1);
        var keyEnd = escaped ? keyClose - 1 : keyClose;
        if ((escaped && keyOpen <= 0) || keyOpen < 0 || keyOpen >= keyEnd
            || !keys.IsSensitive(text.AsSpan(keyOpen + 1, keyEnd - keyOpen - 1)))
        {
            return (-1, -1);
        }

        var start = colon + 1;
        while (start < text.Length && text[start] is ' ' or '\t')
        {
            start++;
        }

        if (escaped)
        {
            return IsEscapedQuote(text, start) ? EscapedStringValue(text, start) : (-1, -1);
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

    private static bool IsEscapedQuote(string text, int index) =>
        index + 1 < text.Length && text[index] == '\\' && text[index + 1] == '"';

    // The value of \"...\" starting at index: up to the next backslash-quote (or the end of the text).
    private static (int Start, int End) EscapedStringValue(string text, int index)
    {
        var start = index + 2;
        var close = text.IndexOf("\\\"", start, StringComparison.Ordinal);
        return (start, close < 0 ? text.Length : close);
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
