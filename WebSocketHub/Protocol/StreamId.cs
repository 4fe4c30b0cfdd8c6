using System.Globalization;

namespace Observability.WebSocketHub.Protocol;

/// <summary>
/// A Redis stream entry id (<c>milliseconds-sequence</c>), compared numerically as Redis orders entries, so that
/// <c>10-0</c> comes after <c>9-5</c>.
/// </summary>
internal readonly record struct StreamId(ulong Milliseconds, ulong Sequence) : IComparable<StreamId>
{
    /// <summary>Before every real entry (Redis never assigns <c>0-0</c>).</summary>
    public static readonly StreamId Zero = new(0, 0);

    public static bool TryParse(ReadOnlySpan<char> text, out StreamId id)
    {
        id = default;
        var dash = text.IndexOf('-');
        var milliseconds = dash < 0 ? text : text[..dash];
        ulong sequence = 0;

        // Digits only: the number parser would also take trailing NULs ("1\0-0").
        if (milliseconds.ContainsAnyExceptInRange('0', '9')
            || (dash >= 0 && text[(dash + 1)..].ContainsAnyExceptInRange('0', '9'))
            || !ulong.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || (dash >= 0 && !ulong.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out sequence)))
        {
            return false;
        }

        id = new StreamId(ms, sequence);
        return true;
    }

    public static StreamId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a Redis stream id.");

    public int CompareTo(StreamId other)
    {
        var byMilliseconds = Milliseconds.CompareTo(other.Milliseconds);
        return byMilliseconds != 0 ? byMilliseconds : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
