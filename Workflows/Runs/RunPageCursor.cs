using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Observability.Workflows.Runs;

/// <summary>
/// Where a page of runs (newest first) ended: the (created_at, id) of its last row. Encoded as an opaque base64url
/// token for API clients.
/// </summary>
public sealed record RunPageCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}.{Id:N}")));

    /// <summary>Decodes a token from <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryDecode(string? token, out RunPageCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0
                || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(text.AsSpan(dot + 1), "N", out var id))
            {
                return false;
            }

            cursor = new RunPageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
