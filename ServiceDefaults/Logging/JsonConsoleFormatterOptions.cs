using Microsoft.Extensions.Logging.Console;

namespace Observability.ServiceDefaults.Logging;

/// <summary>
/// Options of the JSON console formatter, bound from <c>Logging:Console:FormatterOptions</c>. Only
/// <see cref="ConsoleFormatterOptions.IncludeScopes"/> applies (default <see langword="true"/> here); the timestamp
/// is always ISO 8601 UTC with seven fractional digits, taken from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class JsonConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Creates the options with scopes included.</summary>
    public JsonConsoleFormatterOptions() => IncludeScopes = true;
}
