using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Observability.Gateway.Tests;

/// <summary>
/// Seeded random mutations of a valid submit body: a field set to a value of the wrong type, a string with control
/// characters or lone surrogates, a huge number, random task text, or raw bytes truncated, replaced, inserted or
/// deleted. Each mutation says which field it broke (when it broke one) and whether it must be refused.
/// </summary>
internal sealed class SubmitBodyMutator(int seed)
{
    /// <summary>A valid submit, field by field (the raw JSON of each value).</summary>
    private static readonly (string Field, string Json)[] ValidFields =
        [("task", "\"Summarise the report\""), ("sessionId", "\"s-fuzz\""), ("agent", "\"researcher\""), ("model", "\"vendor/model-1\""), ("mode", "\"auto\"")];

    private static readonly string Valid = Compose(null, null);

    private static readonly string[] WrongTypes = ["0", "-7", "3.25", "1e308", "-1e400", "123456789012345678901234567890", "true", "false", "[]", "[1,\"a\"]", "{}", "{\"task\":\"t\"}"];

    /// <summary>Characters random text is made of: plain, tab and line breaks, controls, quotes and escapes, non-ASCII, lone surrogates.</summary>
    private static readonly char[] Alphabet = ['a', 'Z', '7', ' ', '-', '.', '\t', '\n', '\r', '\0', '\u0001', '\u001b', '\u007f', '\u0085', '"', '\\', '/', '\u00e9', '\u4e2d', '\ud83d', '\ude00', '\ud800', '\udfff', '\ufffd', '\ufeff'];

    private readonly Random _random = new(seed);

    public Mutation Next()
    {
        var fields = BadInputCatalogue.SubmitFields;
        var field = fields[_random.Next(fields.Length)];
        switch (_random.Next(8))
        {
            case 0:
                var wrong = WrongTypes[_random.Next(WrongTypes.Length)];
                return Mutation.Refused($"{field} = {wrong}", Set(field, wrong), field);
            case 1:
                var bad = RandomText(1 + _random.Next(6), mustHaveBad: true);
                return Mutation.Refused($"{field} = {Escape(bad)}", Set(field, Escape(bad)), field);
            case 2:
                var digits = string.Concat(Enumerable.Range(0, 20 + _random.Next(400)).Select(_ => (char)('0' + _random.Next(10))));
                return Mutation.Refused($"{field} = a {digits.Length}-digit number", Set(field, "1" + digits), field);
            case 3:
                var text = RandomText(_random.Next(12), mustHaveBad: false);
                return IsStorableTask(text)
                    ? new Mutation($"task = {Escape(text)}", Set("task", Escape(text)), null, Outcome.Accepted)
                    : Mutation.Refused($"task = {Escape(text)}", Set("task", Escape(text)), "task");
            case 4:
                var cut = _random.Next(Valid.Length - 1);
                return Mutation.Refused($"truncated at {cut}", Encoding.UTF8.GetBytes(Valid[..cut]), null);
            default:
                return ByteMutation();
        }
    }

    private Mutation ByteMutation()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid).ToList();
        var at = _random.Next(bytes.Count);
        var value = (byte)_random.Next(256);
        var description = _random.Next(3) switch
        {
            0 => Replace(),
            1 => Insert(),
            _ => Delete(),
        };
        return Mutation.Either(description, [.. bytes]);

        string Replace()
        {
            bytes[at] = value;
            return string.Create(CultureInfo.InvariantCulture, $"byte {at} replaced by 0x{value:X2}");
        }

        string Insert()
        {
            bytes.Insert(at, value);
            return string.Create(CultureInfo.InvariantCulture, $"byte 0x{value:X2} inserted at {at}");
        }

        string Delete()
        {
            bytes.RemoveAt(at);
            return string.Create(CultureInfo.InvariantCulture, $"byte {at} deleted");
        }
    }

    private static byte[] Set(string field, string rawJson) => Encoding.UTF8.GetBytes(Compose(field, rawJson));

    /// <summary>The valid submit with <paramref name="field"/>'s value replaced by <paramref name="rawJson"/>.</summary>
    private static string Compose(string? field, string? rawJson) =>
        "{" + string.Join(",", ValidFields.Select(f => $"\"{f.Field}\":{(f.Field == field ? rawJson : f.Json)}")) + "}";

    private string RandomText(int length, bool mustHaveBad)
    {
        var chars = Enumerable.Range(0, length).Select(_ => Alphabet[_random.Next(Alphabet.Length)]).ToList();
        if (mustHaveBad)
        {
            // A control character: a surrogate could pair with a neighbour and make the text valid.
            chars.Insert(_random.Next(chars.Count + 1), "\0\u0007\u001b\u0085"[_random.Next(4)]);
        }

        return string.Concat(chars);
    }

    /// <summary>The JSON string literal of <paramref name="text"/>, escaping every character that is not printable ASCII (lone surrogates too).</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is >= ' ' and < '\u007f' and not ('"' or '\\'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>The Gateway's rule for a task, written independently: not blank, no control character but tab and line breaks, no lone surrogate.</summary>
    private static bool IsStorableTask(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]) || (char.IsControl(text[i]) && text[i] is not ('\t' or '\n' or '\r')))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>What a mutated body must get.</summary>
internal enum Outcome
{
    /// <summary>400 validation problem details (naming the field when the mutation broke one on purpose).</summary>
    Refused,

    /// <summary>202: the mutation left a valid submit.</summary>
    Accepted,

    /// <summary>202 or 400, as long as it is never a 5xx and every refusal is well-formed.</summary>
    Either,
}

/// <summary>
/// A mutated body and what must happen to it (<see cref="Expected"/>); never a 5xx, and every refusal is problem
/// details naming <see cref="Field"/> when set, without a .NET type name.
/// </summary>
internal sealed record Mutation(string Description, byte[] Body, string? Field, Outcome Expected)
{
    public static Mutation Refused(string description, byte[] body, string? field) => new(description, body, field, Outcome.Refused);

    public static Mutation Either(string description, byte[] body) => new(description, body, null, Outcome.Either);

    public async Task<string?> CheckAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = $"{status} {(text.Length > 200 ? text[..200] + "..." : text)}";
        var allowed = Expected switch
        {
            Outcome.Refused => status == 400,
            Outcome.Accepted => status == 202,
            _ => status is 202 or 400,
        };
        if (!allowed)
        {
            return $"{Description}: expected {Expected} (answer: {answer})";
        }

        if (status == 202)
        {
            return null;
        }

        if (await new BadInputCase(Description, HttpMethod.Post, BadInputCatalogue.Submit, 400, Field).CheckAsync(response, cancellationToken) is { } failure)
        {
            return failure;
        }

        using var problem = JsonDocument.Parse(text);
        return problem.RootElement.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any()
            ? null
            : $"{Description}: a 400 without errors (answer: {answer})";
    }
}
