using System.Collections;
using System.Globalization;
using System.Text;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Renders a logging message template (<c>"Paid with {Card} using {ApiKey}"</c>) again from its structured
/// values with the values of sensitive keys replaced by <c>***</c>: the formatted message already holds those
/// values as plain text, where no value pattern could recognise them.
/// </summary>
internal static class MessageTemplate
{
    /// <summary>The key under which Microsoft.Extensions.Logging keeps the message template.</summary>
    public const string OriginalFormatKey = "{OriginalFormat}";

    /// <summary>The template when a value under a sensitive key would appear in the message; otherwise null.</summary>
    public static string? FindTemplateToRender(IReadOnlyList<KeyValuePair<string, object?>> state, SensitiveKeySet keys)
    {
        string? template = null;
        var sensitive = false;
        for (var i = 0; i < state.Count; i++)
        {
            var (key, value) = state[i];
            if (key == OriginalFormatKey)
            {
                template = value as string;
            }
            else if (value is not null && keys.IsSensitive(key))
            {
                sensitive = true;
            }
        }

        return sensitive ? template : null;
    }

    /// <summary>Formats <paramref name="template"/> the way the logging library does, masking sensitive keys.</summary>
    public static string Render(string template, IReadOnlyList<KeyValuePair<string, object?>> state, SensitiveKeySet keys)
    {
        var builder = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                builder.Append('{');
                i += 2;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                builder.Append('}');
                i += 2;
            }
            else if (c == '{' && template.IndexOf('}', i + 1) is var close and > 0)
            {
                AppendHole(builder, template.AsSpan(i + 1, close - i - 1), state, keys);
                i = close + 1;
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        return builder.ToString();
    }

    private static void AppendHole(StringBuilder builder, ReadOnlySpan<char> hole, IReadOnlyList<KeyValuePair<string, object?>> state, SensitiveKeySet keys)
    {
        var formatStart = hole.IndexOf(':');
        var format = formatStart < 0 ? null : hole[(formatStart + 1)..].ToString();
        var nameAndAlignment = formatStart < 0 ? hole : hole[..formatStart];
        var alignmentStart = nameAndAlignment.IndexOf(',');
        var name = (alignmentStart < 0 ? nameAndAlignment : nameAndAlignment[..alignmentStart]).Trim();
        var alignment = alignmentStart >= 0 && int.TryParse(nameAndAlignment[(alignmentStart + 1)..], NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : 0;

        for (var i = 0; i < state.Count; i++)
        {
            var (key, value) = state[i];
            if (!name.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var text = value is not null && keys.IsSensitive(key) ? SensitiveDataMasker.Mask : FormatValue(value, format);
            builder.Append(alignment < 0 ? text.PadRight(-alignment) : text.PadLeft(alignment));
            return;
        }

        builder.Append('{').Append(hole).Append('}');
    }

    private static string FormatValue(object? value, string? format) => value switch
    {
        null => "(null)",
        string text => text,
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(item => FormatValue(item, format))),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
