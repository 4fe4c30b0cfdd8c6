using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Masking;

/// <summary>Rejects empty keys and patterns that do not compile, naming the exact configuration key.</summary>
internal sealed class SensitiveDataMaskingOptionsValidator : IValidateOptions<SensitiveDataMaskingOptions>
{
    public ValidateOptionsResult Validate(string? name, SensitiveDataMaskingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        for (var i = 0; i < options.Keys.Count; i++)
        {
            if (SensitiveKeySet.Normalize(options.Keys[i]).Length == 0)
            {
                failures.Add($"{SensitiveDataMaskingOptions.SectionName}:Keys:{i} must name a key (letters or digits), but is '{options.Keys[i]}'.");
            }
        }

        for (var i = 0; i < options.Patterns.Count; i++)
        {
            var pattern = options.Patterns[i];
            if (string.IsNullOrEmpty(pattern))
            {
                failures.Add($"{SensitiveDataMaskingOptions.SectionName}:Patterns:{i} must be a regular expression, but is empty.");
                continue;
            }

            try
            {
                _ = CustomPattern.Create(pattern);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                failures.Add($"{SensitiveDataMaskingOptions.SectionName}:Patterns:{i} is not a valid regular expression for RegexOptions.NonBacktracking: {ex.Message}");
            }
        }

        if ((options.BuiltInPatterns & ~BuiltInValuePatterns.All) != 0)
        {
            failures.Add($"{SensitiveDataMaskingOptions.SectionName}:BuiltInPatterns has unknown flags: {options.BuiltInPatterns}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
