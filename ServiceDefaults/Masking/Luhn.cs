namespace Observability.ServiceDefaults.Masking;

/// <summary>The Luhn checksum that every payment card number satisfies.</summary>
internal static class Luhn
{
    /// <summary>
    /// True when <paramref name="text"/> looks like a payment card number: its first digit is 2 to 6 (the ranges
    /// of the card networks, which keeps millisecond timestamps and most identifiers out) and its digits pass
    /// the Luhn check.
    /// </summary>
    public static bool IsPaymentCard(ReadOnlySpan<char> text)
    {
        var first = text.IndexOfAnyExcept(" -");
        return first >= 0 && text[first] is >= '2' and <= '6' && IsValid(text);
    }

    /// <summary>True when the digits of <paramref name="text"/> (other characters ignored) pass the Luhn check.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var digits = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var digit = c - '0';
            if ((digits & 1) == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            digits++;
        }

        return digits > 0 && sum % 10 == 0;
    }
}
