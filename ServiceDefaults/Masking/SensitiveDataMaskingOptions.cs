using System.ComponentModel.DataAnnotations;

namespace Observability.ServiceDefaults.Masking;

/// <summary>
/// What the sensitive-data masker hides, bound from the configuration section <c>Telemetry:Masking</c>
/// (<see cref="SectionName"/>) and validated at start. Masking applies to span attributes, span status
/// descriptions, span event attributes, log attributes, log messages, exceptions, logging scopes and the JSON
/// console output.
/// </summary>
/// <example>
/// In appsettings.json (every entry optional):
/// <code>
/// "Telemetry": { "Masking": {
///   "Keys": [ "national_id" ],
///   "Patterns": [ "\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b" ],
///   "BuiltInPatterns": "All",
///   "UseBuiltInKeys": true } }
/// </code>
/// </example>
public sealed class SensitiveDataMaskingOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Telemetry:Masking</c>.</summary>
    public const string SectionName = "Telemetry:Masking";

    /// <summary>
    /// <c>Telemetry:Masking:UseBuiltInKeys</c>. Default <see langword="true"/>: attributes whose key ends with
    /// password, passwd, pwd, secret, client_secret, token, access_token, refresh_token, id_token, authorization,
    /// proxy-authorization, api_key, apikey, x-api-key, cookie, set-cookie, connection_string, private_key,
    /// credential or credentials (case-insensitive; <c>_</c>, <c>-</c>, <c>.</c> and spaces ignored) have their
    /// whole value replaced by <c>***</c>.
    /// </summary>
    public bool UseBuiltInKeys { get; set; } = true;

    /// <summary>
    /// <c>Telemetry:Masking:Keys</c>. Default empty. Extra sensitive keys, matched like the built-in ones
    /// (case-insensitive, separators ignored, a key matches when the attribute key ends with it).
    /// </summary>
    public IList<string> Keys { get; } = new List<string>();

    /// <summary>
    /// <c>Telemetry:Masking:BuiltInPatterns</c>. Default <see cref="BuiltInValuePatterns.All"/>. The built-in
    /// patterns searched inside every string value, as a comma-separated list of flags (for example
    /// <c>"Jwt, AuthorizationSchemes"</c>) or <c>None</c>.
    /// </summary>
    public BuiltInValuePatterns BuiltInPatterns { get; set; } = BuiltInValuePatterns.All;

    /// <summary>
    /// <c>Telemetry:Masking:Patterns</c>. Default empty. Extra .NET regular expressions; every match inside a
    /// string value becomes <c>***</c>. They run with <c>RegexOptions.NonBacktracking</c> (linear time, so no
    /// look-arounds or back-references) on every string, with no prefilter: keep them few.
    /// </summary>
    public IList<string> Patterns { get; } = new List<string>();

    /// <summary>Rejects empty keys, patterns that do not compile and unknown flags, naming the exact configuration key.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            if (SensitiveKeySet.Normalize(Keys[i]).Length == 0)
            {
                yield return new ValidationResult($"{SectionName}:Keys:{i} must name a key (letters or digits), but is '{Keys[i]}'.");
            }
        }

        for (var i = 0; i < Patterns.Count; i++)
        {
            if (PatternError(Patterns[i]) is { } error)
            {
                yield return new ValidationResult($"{SectionName}:Patterns:{i} {error}");
            }
        }

        if ((BuiltInPatterns & ~BuiltInValuePatterns.All) != 0)
        {
            yield return new ValidationResult($"{SectionName}:BuiltInPatterns has unknown flags: {BuiltInPatterns}.");
        }
    }

    private static string? PatternError(string pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "must be a regular expression, but is empty.";
        }

        try
        {
            _ = CustomPattern.Create(pattern);
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return $"is not a valid regular expression for RegexOptions.NonBacktracking: {ex.Message}";
        }
    }
}
