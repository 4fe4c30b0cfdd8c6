namespace Observability.ServiceDefaults.Masking;

/// <summary>The value patterns the masker looks for inside every string, switched on and off as flags.</summary>
[Flags]
public enum BuiltInValuePatterns
{
    /// <summary>No built-in value pattern.</summary>
    None = 0,

    /// <summary><c>Bearer xxx</c> and <c>Basic xxx</c> credentials become <c>Bearer ***</c> and <c>Basic ***</c>.</summary>
    AuthorizationSchemes = 1,

    /// <summary>JSON Web Tokens (three base64url segments starting <c>eyJ</c>) become <c>***</c>.</summary>
    Jwt = 2,

    /// <summary>E-mail addresses become <c>***@***</c>.</summary>
    Email = 4,

    /// <summary>
    /// <c>key=value</c> pairs whose key is sensitive (connection strings, query strings): <c>Password=***</c>.
    /// The value runs to the next <c>;</c>, <c>&amp;</c> or line break.
    /// </summary>
    KeyValuePairs = 8,

    /// <summary>The password in URL user information: <c>scheme://user:***@host</c>.</summary>
    UrlCredentials = 16,

    /// <summary>
    /// Payment card numbers become <c>***</c>: 13 to 19 digits (single spaces or dashes allowed between them),
    /// starting with 2 to 6 and passing the Luhn check.
    /// </summary>
    PaymentCards = 32,

    /// <summary>Every built-in pattern (the default).</summary>
    All = AuthorizationSchemes | Jwt | Email | KeyValuePairs | UrlCredentials | PaymentCards,
}
