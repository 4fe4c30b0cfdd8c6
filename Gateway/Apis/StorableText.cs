using System.Globalization;

namespace Observability.Gateway.Apis;

/// <summary>
/// Whether free text can be stored and shown as it is: PostgreSQL refuses U+0000 in <c>text</c> (error 22021), and
/// control characters or an unpaired UTF-16 surrogate in a task are never meant (terminal escapes, truncated
/// emoji). Tab, line feed and carriage return are text.
/// </summary>
internal static class StorableText
{
    /// <summary>A message describing the first character that is not storable text, or null when every one is.</summary>
    public static string? FindProblem(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"an unpaired UTF-16 surrogate (U+{(int)c:X4}) at position {i}");
            }

            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"the control character U+{(int)c:X4} at position {i}");
            }
        }

        return null;
    }
}
