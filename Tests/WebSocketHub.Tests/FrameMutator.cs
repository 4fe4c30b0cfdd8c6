using System.Text;
using System.Text.Json;

namespace Observability.WebSocketHub.Tests;

/// <summary>
/// Seeded random mutations of a valid subscribe frame (as text, so the frame stays UTF-8): a field set to a value of
/// the wrong type or to a string with control characters or lone surrogates, the frame truncated, or characters
/// replaced, inserted or deleted. Each mutation names the field it broke, when it broke one on purpose.
/// </summary>
internal sealed class FrameMutator
{
    private static readonly string[] Fields = ["type", "runId", "ticket", "lastEventId"];

    private static readonly string[] WrongTypes = ["0", "-7", "3.25", "1e400", "123456789012345678901234567890", "true", "[]", "[1]", "{}", "{\"a\":\"b\"}"];

    private static readonly char[] Alphabet = ['a', 'Z', '7', '0', '-', ' ', '"', '\\', '{', '}', '[', ']', ':', ',', '\0', '\u0007', '\u00e9', '\u4e2d', '\ud83d', '\ude00', '\ufffd'];

    private readonly Random _random;
    private readonly string _valid;

    public FrameMutator(int seed, Guid runId, string ticket)
    {
        _random = new Random(seed);
        _valid = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "subscribe",
            ["runId"] = runId.ToString(),
            ["ticket"] = ticket,
            ["lastEventId"] = "0-0",
        });
    }

    /// <summary>A mutated frame and the field it broke on purpose (null when the mutation is blind).</summary>
    public (string Frame, string? Field) Next()
    {
        var field = Fields[_random.Next(Fields.Length)];
        switch (_random.Next(6))
        {
            case 0:
                return (Set(field, WrongTypes[_random.Next(WrongTypes.Length)]), field);
            case 1:
                // A control character or a lone surrogate: no field takes either.
                var bad = "\\u0000\\u0007\\u001b\\ud800\\udfff"[(_random.Next(5) * 6)..][..6];
                return (Set(field, $"\"{Prefix(field)}{bad}\""), field);
            case 2:
                return (_valid[.._random.Next(_valid.Length - 1)], null);
            default:
                return (Edit(), null);
        }
    }

    /// <summary>The start of the field's valid value, so that only the bad character makes it wrong.</summary>
    private string Prefix(string field)
    {
        using var document = JsonDocument.Parse(_valid);
        var value = document.RootElement.GetProperty(field).GetString()!;
        return value[.._random.Next(value.Length + 1)];
    }

    private string Set(string field, string rawJson)
    {
        using var document = JsonDocument.Parse(_valid);
        var current = JsonSerializer.Serialize(document.RootElement.GetProperty(field).GetString());
        return _valid.Replace($"\"{field}\":{current}", $"\"{field}\":{rawJson}", StringComparison.Ordinal);
    }

    private string Edit()
    {
        var text = new StringBuilder(_valid);
        var at = _random.Next(text.Length);
        var c = Alphabet[_random.Next(Alphabet.Length)];
        switch (_random.Next(3))
        {
            case 0:
                text[at] = c;
                break;
            case 1:
                text.Insert(at, c);
                break;
            default:
                text.Remove(at, 1);
                break;
        }

        return text.ToString();
    }
}
