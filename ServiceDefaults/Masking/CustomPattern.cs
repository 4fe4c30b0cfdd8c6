using System.Text.RegularExpressions;

namespace Observability.ServiceDefaults.Masking;

/// <summary>Compiles a user-supplied masking pattern the one way both the validator and the masker use.</summary>
internal static class CustomPattern
{
    public static Regex Create(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
}
