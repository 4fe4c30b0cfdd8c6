using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// Replaces secrets by <c>***</c>: whole values of sensitive keys, and secrets found inside any string
/// (see <see cref="BuiltInValuePatterns"/>). Built for the hot path of every span and log record: a string runs
/// through a regular expression only when a cheap, vectorised prefilter finds that pattern's trigger
/// (<c>@</c>, <c>=</c>, <c>:</c>, <c>eyJ</c>, <c>bearer</c>, <c>basic</c>, 13 or more digits not inside a longer
/// token), and a value with nothing to mask comes back as the same instance, without allocating.
/// </summary>
internal sealed class SensitiveDataMasker
{
    /// <summary>What every secret becomes.</summary>
    public const string Mask = "***";

    /// <summary>
    /// The placeholder the OpenTelemetry semantic conventions use for redacted values (such as query-string values
    /// in <c>url.query</c>; the ASP.NET Core and HttpClient instrumentation write it <c>Redacted</c>): already masked,
    /// so kept as it is, in any case.
    /// </summary>
    public const string Redacted = "REDACTED";

    // The shortest text a built-in pattern can change ("pwd=x", "a@b.io" are longer).
    private const int MinMaskableLength = 4;
    private const int MinCardDigits = 13;

    // The shortest text an authorization scheme or JWT pattern can change ("Bearer x" + a little).
    private const int MinWordTriggeredLength = 8;

    // IndexOfAnyInRange allocates on some paths; a SearchValues set never does.
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> Separators = SearchValues.Create("@=:");
    private static readonly SearchValues<char> WordChars =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<string> TriggerWords =
        SearchValues.Create(["bearer", "basic", "eyJ"], StringComparison.OrdinalIgnoreCase);

    private readonly SensitiveKeySet _keys;
    private readonly BuiltInValuePatterns _patterns;
    private readonly Regex[] _customPatterns;

    public SensitiveDataMasker(SensitiveDataMaskingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var words = options.UseBuiltInKeys ? SensitiveKeySet.BuiltInWords.Concat(options.Keys) : options.Keys;
        _keys = new SensitiveKeySet(words);
        _patterns = options.BuiltInPatterns;
        _customPatterns = [.. options.Patterns.Select(CustomPattern.Create)];
    }

    /// <summary>True when values of <paramref name="key"/> are secrets as a whole.</summary>
    public bool IsSensitiveKey(string key) => _keys.IsSensitive(key);

    /// <summary>
    /// The value to export for attribute <paramref name="key"/>: <see cref="Mask"/> for a sensitive key, the masked
    /// text of strings (and of other objects' text), or <paramref name="value"/> itself when nothing changes.
    /// </summary>
    public object? MaskAttribute(string key, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_keys.IsSensitive(key))
        {
            return value is string text && IsMasked(text) ? value : Mask;
        }

        return MaskValue(value);
    }

    /// <summary>The masked form of a value found under an ordinary key; the same instance when nothing changes.</summary>
    public object MaskValue(object value) => value switch
    {
        string text => MaskText(text),
        bool or int or long or double or float or decimal or short or ushort or uint or ulong or byte or sbyte or char => value,
        DateTime or DateTimeOffset or TimeSpan or Guid or Enum => value,
        string[] texts => MaskTexts(texts),
        Array => value,
        _ => MaskFormatted(value),
    };

    /// <summary>
    /// A formatted log message with every secret replaced. When <paramref name="state"/> holds the message template
    /// and a value under a sensitive key, the message is rendered again from the template with that value masked.
    /// </summary>
    public string MaskMessage(string message, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (state is not null && MessageTemplate.FindTemplateToRender(state, _keys) is { } template)
        {
            message = MessageTemplate.Render(template, state, _keys);
        }

        return MaskText(message);
    }

    /// <summary>The text with every secret replaced; the same instance when nothing matches.</summary>
    public string MaskText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = text;
        if (_patterns != BuiltInValuePatterns.None && text.Length >= MinMaskableLength)
        {
            result = MaskBuiltIn(text);
        }

        foreach (var pattern in _customPatterns)
        {
            result = Replace(result, pattern, validate: null);
        }

        return result;
    }

    private string MaskBuiltIn(string text)
    {
        var span = text.AsSpan();
        // One vectorised pass per trigger family; the specific checks below run only on the rare hit.
        var hasSeparator = span.IndexOfAny(Separators) >= 0;
        var hasWord = span.Length >= MinWordTriggeredLength
            && (_patterns & (BuiltInValuePatterns.AuthorizationSchemes | BuiltInValuePatterns.Jwt)) != 0
            && span.IndexOfAny(TriggerWords) >= 0;
        var hasScheme = hasWord && Enabled(BuiltInValuePatterns.AuthorizationSchemes)
            && (span.Contains("bearer", StringComparison.OrdinalIgnoreCase) || span.Contains("basic", StringComparison.OrdinalIgnoreCase));
        var hasJwt = hasWord && Enabled(BuiltInValuePatterns.Jwt) && span.Contains("eyJ", StringComparison.Ordinal);
        var hasCard = (_patterns & BuiltInValuePatterns.PaymentCards) != 0 && HasLongDigitRun(span);
        if (!hasSeparator && !hasScheme && !hasJwt && !hasCard)
        {
            return text;
        }

        var result = text;
        if (hasSeparator && Enabled(BuiltInValuePatterns.UrlCredentials) && result.Contains("://", StringComparison.Ordinal) && result.Contains('@', StringComparison.Ordinal))
        {
            result = Replace(result, MaskingPatterns.UrlCredentials(), validate: null);
        }

        if (hasScheme)
        {
            result = Replace(result, MaskingPatterns.AuthorizationScheme(), validate: null);
        }

        if (hasJwt && result.Contains("eyJ", StringComparison.Ordinal))
        {
            result = Replace(result, MaskingPatterns.Jwt(), validate: null);
        }

        if (hasSeparator && Enabled(BuiltInValuePatterns.KeyValuePairs) && !_keys.IsEmpty && result.AsSpan().IndexOfAny('=', ':') >= 0)
        {
            result = KeyValueMasker.Mask(result, _keys);
        }

        if (hasSeparator && Enabled(BuiltInValuePatterns.Email) && result.Contains('@', StringComparison.Ordinal))
        {
            result = Replace(result, MaskingPatterns.Email(), validate: null, replacement: "***@***");
        }

        if (hasCard && Enabled(BuiltInValuePatterns.PaymentCards))
        {
            result = Replace(result, MaskingPatterns.CardNumber(), Luhn.IsPaymentCard);
        }

        return result;
    }

    /// <summary>True when <paramref name="value"/> is a mask already (<see cref="Mask"/> or <see cref="Redacted"/>).</summary>
    public static bool IsMasked(ReadOnlySpan<char> value) =>
        value.SequenceEqual(Mask) || value.Equals(Redacted, StringComparison.OrdinalIgnoreCase);

    private bool Enabled(BuiltInValuePatterns pattern) => (_patterns & pattern) != 0;

    private string[] MaskTexts(string[] texts)
    {
        string[]? masked = null;
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is not { } text)
            {
                continue;
            }

            var result = MaskText(text);
            if (!ReferenceEquals(result, text))
            {
                masked ??= (string[])texts.Clone();
                masked[i] = result;
            }
        }

        return masked ?? texts;
    }

    private object MaskFormatted(object value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (text is null)
        {
            return value;
        }

        var masked = MaskText(text);
        return ReferenceEquals(masked, text) ? value : masked;
    }

    // True when the text holds at least 13 digits in one run, single spaces or dashes allowed between them, that
    // starts where CardNumber() can start a match: not right after a letter, digit or underscore. Digits inside a
    // longer token (a hex correlation ID often has a run of 13 digits or more) never reach the regular expression.
    private static bool HasLongDigitRun(ReadOnlySpan<char> span)
    {
        if (span.Length < MinCardDigits)
        {
            return false;
        }

        var i = span.IndexOfAny(Digits);
        while (i >= 0 && i <= span.Length - MinCardDigits)
        {
            if (i > 0 && IsWordChar(span[i - 1]))
            {
                // Inside a token: the next possible start follows the token's end.
                var tokenEnd = span[i..].IndexOfAnyExcept(WordChars);
                i = tokenEnd < 0 ? -1 : NextDigit(span, i + tokenEnd);
                continue;
            }

            // A possible start: count its digits. A later start inside this run follows a space or dash and only
            // has a suffix of these digits, so the scan goes on after the run.
            var run = 0;
            var previousWasSeparator = false;
            var end = i;
            for (; end < span.Length; end++)
            {
                var c = span[end];
                if (char.IsAsciiDigit(c))
                {
                    if (++run >= MinCardDigits)
                    {
                        return true;
                    }

                    previousWasSeparator = false;
                }
                else if (c is ' ' or '-' && !previousWasSeparator)
                {
                    previousWasSeparator = true;
                }
                else
                {
                    break;
                }
            }

            i = NextDigit(span, end);
        }

        return false;
    }

    private static int NextDigit(ReadOnlySpan<char> span, int from)
    {
        var next = from < span.Length ? span[from..].IndexOfAny(Digits) : -1;
        return next < 0 ? -1 : from + next;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string Replace(string text, Regex regex, Func<ReadOnlySpan<char>, bool>? validate, string replacement = Mask)
    {
        StringBuilder? builder = null;
        var copied = 0;
        foreach (var match in regex.EnumerateMatches(text))
        {
            if (match.Length == 0 || (validate is not null && !validate(text.AsSpan(match.Index, match.Length))))
            {
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, match.Index - copied).Append(replacement);
            copied = match.Index + match.Length;
        }

        if (builder is null)
        {
            return text;
        }

        builder.Append(text, copied, text.Length - copied);
        return builder.ToString();
    }
}
