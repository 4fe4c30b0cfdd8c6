using System.Globalization;

namespace Observability.Gateway.Apis;

/// <summary>
/// A whole-number query parameter (<c>limit</c>, <c>hours</c>) whose binding never fails. Bound as <c>int?</c>, a value
/// such as <c>99999999999</c> or <c>ten</c> fails in the framework before the handler runs (a bare 400, or a 500
/// where the exception handler sees the <see cref="BadHttpRequestException"/>), and nothing says which parameter was
/// wrong; bound as this type the handler sees the value was not a number and answers a validation problem keyed by
/// the parameter.
/// The OpenAPI document still describes it as an integer (see <c>AddGatewayServices</c>).
/// </summary>
internal readonly record struct QueryInteger
{
    private QueryInteger(int? number) => Number = number;

    /// <summary>The number, or null when the text sent is not a 32-bit whole number.</summary>
    public int? Number { get; }

    /// <summary>Minimal APIs' binding hook: always succeeds, keeping text that is not a number for the handler to refuse.</summary>
    public static bool TryParse(string? text, IFormatProvider? provider, out QueryInteger result)
    {
        // No control characters: the number parser would also take trailing NULs ("5\0").
        var number = !text.AsSpan().ContainsAnyInRange('\0', '\u001f') && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : (int?)null;
        result = new QueryInteger(number);
        return true;
    }

    /// <summary>
    /// The parameter's value: <paramref name="defaultValue"/> when absent, else the number when it lies in
    /// <paramref name="min"/>..<paramref name="max"/>; otherwise adds an error keyed by <paramref name="name"/>.
    /// </summary>
    public static int Validate(QueryInteger? parameter, string name, int defaultValue, int min, int max, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (parameter is null)
        {
            return defaultValue;
        }

        if (parameter.Value.Number is { } value && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [string.Create(CultureInfo.InvariantCulture, $"The {name} must be a whole number between {min} and {max}.")];
        return defaultValue;
    }
}
