namespace Observability.Hosting.ApplicationModel;

/// <summary>Resource names become configuration keys and environment variable names: keep them simple.</summary>
internal static class ResourceNames
{
    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!char.IsAsciiLetterLower(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"Resource name '{name}' must start with a lowercase letter and hold only lowercase letters, digits and '-'.", nameof(name));
        }
    }

    /// <summary>The prefix of the <c>{NAME}_HOST</c>-style variables: upper case, '-' as '_'.</summary>
    public static string EnvironmentPrefix(string name) => name.ToUpperInvariant().Replace('-', '_');
}
