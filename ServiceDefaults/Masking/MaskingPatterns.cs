using System.Text.RegularExpressions;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// The built-in value patterns, source-generated. Each match is exactly the secret part, so the masker replaces
/// the match and keeps the context around it (<c>Bearer ***</c>, <c>scheme://user:***@host</c>). Quantifiers that
/// could backtrack are bounded, so a long hostile string costs linear time.
/// </summary>
internal static partial class MaskingPatterns
{
    /// <summary>The token after <c>Bearer</c>, or the base64 credentials after <c>Basic</c>.</summary>
    /// <remarks>
    /// A <c>Basic</c> value must look like base64 (a digit, an upper-case letter after the first character,
    /// <c>+</c>, <c>/</c> or <c>=</c>), so prose such as "Basic information" stays readable.
    /// </remarks>
    [GeneratedRegex(@"(?<=\b(?i:bearer)[ \t]{1,8})[A-Za-z0-9\-._~+/]+=*|(?<=\b(?i:basic)[ \t]{1,8})(?=[A-Za-z0-9+/][A-Za-z0-9+/]*[0-9A-Z+/=])[A-Za-z0-9+/]{4,}={0,2}", RegexOptions.CultureInvariant)]
    public static partial Regex AuthorizationScheme();

    /// <summary>A JSON Web Token: three base64url segments, the first starting <c>eyJ</c>.</summary>
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    public static partial Regex Jwt();

    /// <summary>An e-mail address.</summary>
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,253}\.[A-Za-z]{2,24}", RegexOptions.CultureInvariant)]
    public static partial Regex Email();

    /// <summary>The password of URL user information (<c>scheme://user:password@host</c>).</summary>
    [GeneratedRegex(@"(?<=[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^/\s:@]{0,256}:)[^/\s@]{1,256}(?=@)", RegexOptions.CultureInvariant)]
    public static partial Regex UrlCredentials();

    /// <summary>
    /// 13 to 19 digits, optionally grouped by single spaces or dashes (the Luhn check comes after), standing alone:
    /// digits that continue a longer letter-and-digit token (the tail of a hex correlation ID) are no card number.
    /// </summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z_])[0-9](?:[ \-]?[0-9]){12,18}(?![0-9A-Za-z_])", RegexOptions.CultureInvariant)]
    public static partial Regex CardNumber();
}
