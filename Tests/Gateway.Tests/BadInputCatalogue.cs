using System.Text;

namespace Observability.Gateway.Tests;

/// <summary>
/// Every input of the Gateway, made wrong every way we know: each JSON field of a submit with each wrong type,
/// control characters, NUL, lone surrogates, empty or oversized values; malformed JSON and wrong content types; every
/// query and route parameter of every endpoint with bad values. Each case names the answer it must get.
/// </summary>
internal static class BadInputCatalogue
{
    public const string Submit = "/api/workflows";

    private const int BadRequest = 400;
    private const int NotFound = 404;
    private const string BodyKey = "body";
    private const string IdempotencyKey = "Idempotency-Key";

    /// <summary>The submit's fields; each must refuse every one of <see cref="WrongTypes"/> and <see cref="BadStrings"/>.</summary>
    public static readonly string[] SubmitFields = ["task", "sessionId", "agent", "model", "mode"];

    /// <summary>JSON values of the wrong type for a string field.</summary>
    public static readonly string[] WrongTypes = ["5", "-1", "0", "1.5", "1e400", "99999999999999999999999999", "true", "false", "[]", "[\"x\"]", "{}", "{\"a\":1}"];

    /// <summary>JSON strings no field accepts (escaped in the JSON text, so the body itself is valid UTF-8 JSON).</summary>
    public static readonly string[] BadStrings =
    [
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0007\"", "\"\\u001b[31mred\"", "\"\\u007f\"", "\"\\u0085\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"x\\ud83d\"", "\"\\ud83d\\ud83d\"",
    ];

    public static IEnumerable<BadInputCase> All() =>
        SubmitBodies().Concat(SubmitEnvelopes()).Concat(ListQueries()).Concat(OtherEndpoints()).Concat(OversizedHeads());

    /// <summary>A submit body with <paramref name="field"/> set to the raw JSON <paramref name="value"/> (and a valid task otherwise).</summary>
    public static string SubmitWith(string field, string value) =>
        field == "task" ? $$"""{"task":{{value}},"sessionId":"s-1"}""" : $$"""{"task":"Summarise the report","{{field}}":{{value}}}""";

    private static IEnumerable<BadInputCase> SubmitBodies()
    {
        foreach (var field in SubmitFields)
        {
            foreach (var value in WrongTypes.Concat(BadStrings))
            {
                yield return BadInputCase.Post($"submit {field}={value}", Submit, SubmitWith(field, value), BadRequest, field);
            }

            yield return BadInputCase.Post($"submit {field} oversized", Submit, SubmitWith(field, $"\"{new string('x', field == "task" ? (32 * 1024) + 1 : 129)}\""), BadRequest, field);

            // The same field twice, the second of the wrong type: the last one is what is read.
            yield return BadInputCase.Post($"submit {field} twice", Submit, SubmitWith(field, "\"auto\"").TrimEnd('}') + $$""","{{field}}":7}""", BadRequest, field);

            // Names match case-insensitively; the error still names the field as the API spells it.
            yield return BadInputCase.Post($"submit {field} upper-case", Submit, SubmitWith(field, "5").Replace($"\"{field}\"", $"\"{field.ToUpperInvariant()}\"", StringComparison.Ordinal), BadRequest, field);
        }

        foreach (var (name, value) in new[] { ("empty", "\"\""), ("blank", "\"   \""), ("line break", "\"\\n\\t\""), ("null", "null") })
        {
            yield return BadInputCase.Post($"submit task {name}", Submit, SubmitWith("task", value), BadRequest, "task");
        }

        foreach (var field in SubmitFields.Skip(1))
        {
            yield return BadInputCase.Post($"submit {field} empty", Submit, SubmitWith(field, "\"\""), BadRequest, field);
            yield return BadInputCase.Post($"submit {field} blank", Submit, SubmitWith(field, "\" \""), BadRequest, field);
            yield return BadInputCase.Post($"submit {field} non-ASCII", Submit, SubmitWith(field, "\"caf\u00e9\""), BadRequest, field);
        }

        yield return BadInputCase.Post("submit mode unknown", Submit, SubmitWith("mode", "\"turbo\""), BadRequest, "mode");
        yield return BadInputCase.Post("submit no task", Submit, """{"sessionId":"s-1"}""", BadRequest, "task");
        yield return BadInputCase.Post("submit only unknown fields", Submit, """{"foo":1,"bar":[1,2]}""", BadRequest, "task");

        // A raw control byte inside a JSON string is not JSON; bytes that are not UTF-8 are not JSON text.
        yield return new BadInputCase("submit task raw control byte", HttpMethod.Post, Submit, BadRequest, "task")
        {
            Body = [.. Encoding.UTF8.GetBytes("{\"task\":\"a"), 0x01, .. Encoding.UTF8.GetBytes("b\"}")],
        };
        yield return new BadInputCase("submit task invalid UTF-8", HttpMethod.Post, Submit, BadRequest, "task")
        {
            Body = [.. Encoding.UTF8.GetBytes("{\"task\":\"a"), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("b\"}")],
        };
        yield return new BadInputCase("submit body UTF-16", HttpMethod.Post, Submit, BadRequest, BodyKey)
        {
            Body = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{\"task\":\"t\"}")],
            ContentType = "application/json; charset=utf-16",
        };

        foreach (var json in new[] { "", " ", "{", "}", "not json", "[]", "[{\"task\":\"t\"}]", "null", "5", "\"task\"", "true", "{\"task\":\"t\"} trailing", "{\"task\":\"t\"}{}", "{'task':'t'}", "{task:\"t\"}" })
        {
            yield return BadInputCase.Post($"submit body '{json}'", Submit, json, BadRequest, BodyKey);
        }

        // Malformed inside a field: the error is about that field.
        yield return BadInputCase.Post("submit task value missing", Submit, """{"task":}""", BadRequest, "task");
        yield return BadInputCase.Post("submit task unterminated", Submit, """{"task":"abc""", BadRequest, "task");
        yield return BadInputCase.Post("submit unknown field nested too deep", Submit, $$"""{"task":"t","x":{{new string('[', 100)}}{{new string(']', 100)}}}""", BadRequest, "x");
    }

    private static IEnumerable<BadInputCase> SubmitEnvelopes()
    {
        const string valid = """{"task":"Summarise the report"}""";
        foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
        {
            yield return BadInputCase.Post($"submit content-type {contentType}", Submit, valid, 415, null) with { ContentType = contentType };
        }

        yield return BadInputCase.Post("submit no content-type", Submit, valid, 415, null) with { ContentType = null };
        yield return BadInputCase.Get("submit no body", Submit, 415, null) with { Method = HttpMethod.Post };
        yield return BadInputCase.Post("submit body over 64 KiB", Submit, $$"""{"task":"{{new string('x', 100 * 1024)}}"}""", 413, null);

        foreach (var (name, key) in new[] { ("too long", new string('k', 201)), ("space", "a key"), ("control", "a\u0001b"), ("two values", "a, b") })
        {
            yield return BadInputCase.Post($"submit Idempotency-Key {name}", Submit, valid, BadRequest, IdempotencyKey) with { Headers = [new(IdempotencyKey, key)] };
        }
    }

    private static IEnumerable<BadInputCase> ListQueries()
    {
        const string list = "/api/workflows?";
        foreach (var (name, query) in new[]
        {
            ("missing", ""), ("empty", "sessionId="), ("NUL", "sessionId=%00"), ("control", "sessionId=a%07b"), ("space", "sessionId=a%20b"),
            ("non-ASCII", "sessionId=caf%C3%A9"), ("surrogate bytes", "sessionId=%ED%A0%80"), ("invalid UTF-8", "sessionId=%C3%28"),
            ("oversized", "sessionId=" + new string('s', 129)),
        })
        {
            yield return BadInputCase.Get($"list sessionId {name}", list + query, BadRequest, "sessionId");
        }

        foreach (var value in new[] { "99999999999", "-99999999999", "-1", "0", "201", "abc", "1.5", "1e3", "0x10", "%00", "5%00", "1,2", "%E2%91%A0", "%20" })
        {
            yield return BadInputCase.Get($"list limit={value}", $"{list}sessionId=s-1&limit={value}", BadRequest, "limit");
        }

        yield return BadInputCase.Get("list limit twice", $"{list}sessionId=s-1&limit=1&limit=2", BadRequest, "limit");

        foreach (var value in new[] { "Bogus", "1", "99999999999", "%00", "Running%00", "Queued,Running" })
        {
            yield return BadInputCase.Get($"list status={value}", $"{list}sessionId=s-1&status={value}", BadRequest, "status");
        }

        foreach (var value in new[] { "x", "%00", "AAAA", "not-base64!!", "MTIzLmFiYw", new string('A', 200), "LTEuMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA" })
        {
            yield return BadInputCase.Get($"list cursor={(value.Length > 20 ? value[..20] + "..." : value)}", $"{list}sessionId=s-1&cursor={value}", BadRequest, "cursor");
        }
    }

    private static IEnumerable<BadInputCase> OtherEndpoints()
    {
        const string perf = "/api/observability/performance/";
        foreach (var value in new[] { "0", "-1", "721", "99999999999", "abc", "%00", "1.5", "1e2" })
        {
            yield return BadInputCase.Get($"performance hours={value}", $"{perf}s-1?hours={value}", BadRequest, "hours");
        }

        foreach (var (name, segment) in new[] { ("NUL", "%00"), ("control", "a%07b"), ("space", "a%20b"), ("non-ASCII", "caf%C3%A9"), ("slash", "a%2Fb"), ("oversized", new string('s', 129)) })
        {
            var byKestrel = segment == "%00";
            yield return BadInputCase.Get($"performance sessionId {name}", perf + segment, BadRequest, byKestrel ? null : "sessionId") with { RefusedByKestrel = byKestrel };
            yield return new BadInputCase($"events-ticket sessionId {name}", HttpMethod.Post, $"/api/sessions/{segment}/events-ticket", BadRequest, byKestrel ? null : "sessionId")
            {
                ContentType = null,
                RefusedByKestrel = byKestrel,
            };
        }

        // A route id that is not a UUID names no resource: 404 problem details (the route's constraint), never a 500.
        // (A NUL in the path never gets that far: Kestrel refuses the request line with 400.)
        foreach (var id in new[] { "not-a-guid", "%00", "99999999999", "00000000-0000-0000-0000-00000000000g" })
        {
            var byKestrel = id == "%00";
            var status = byKestrel ? BadRequest : NotFound;
            yield return BadInputCase.Get($"get run {id}", $"/api/workflows/{id}", status, null) with { RefusedByKestrel = byKestrel };
            yield return BadInputCase.Get($"trace of run {id}", $"/api/observability/traces/{id}", status, null) with { RefusedByKestrel = byKestrel };
            yield return new BadInputCase($"cancel run {id}", HttpMethod.Post, $"/api/workflows/{id}/cancel", status, null) { ContentType = null, RefusedByKestrel = byKestrel };
        }

        yield return new BadInputCase("method DELETE on submit", HttpMethod.Delete, Submit, 405, null) { ContentType = null };
        yield return new BadInputCase("method PUT on a run", HttpMethod.Put, $"/api/workflows/{Guid.NewGuid()}", 405, null) { ContentType = null };
        yield return new BadInputCase("method GET on cancel", HttpMethod.Get, $"/api/workflows/{Guid.NewGuid()}/cancel", 405, null) { ContentType = null };
    }

    /// <summary>
    /// Request heads over the documented limits (<c>RequestLimits</c>: header fields 32 KiB in total, 100 of them, a
    /// request line of 8 KiB): problem details naming the header, query parameter or path at fault, up to Kestrel's
    /// backstop (4 times each; beyond it, see <c>BadInputTests.PastKestrelsBackstop_KestrelAnswersWithEmptyBodyAndKeepsServing</c>).
    /// </summary>
    private static IEnumerable<BadInputCase> OversizedHeads()
    {
        const string list = "/api/workflows?sessionId=s-1";
        foreach (var kib in new[] { 33, 64, 120 })
        {
            yield return BadInputCase.Get($"header X-Padding {kib} KiB", list, 431, "X-Padding") with { Headers = [new("X-Padding", new string('p', kib * 1024))] };
            yield return BadInputCase.Post($"submit Idempotency-Key {kib} KiB", Submit, """{"task":"t"}""", 431, IdempotencyKey) with { Headers = [new(IdempotencyKey, new string('k', kib * 1024))] };
        }

        yield return BadInputCase.Get("headers 4 of 9 KiB", list, 431, "X-Padding-2") with
        {
            Headers = [.. Enumerable.Range(1, 4).Select(i => new KeyValuePair<string, string>($"X-Padding-{i}", new string('p', (i == 2 ? 10 : 9) * 1024)))],
        };
        foreach (var count in new[] { 101, 300 })
        {
            yield return BadInputCase.Get($"{count} header fields", list, 431, "headers") with
            {
                Headers = [.. Enumerable.Range(0, count).Select(i => new KeyValuePair<string, string>($"X-Field-{i}", "v"))],
            };
        }

        foreach (var kib in new[] { 9, 16, 30 })
        {
            yield return BadInputCase.Get($"request line sessionId {kib} KiB", $"/api/workflows?sessionId={new string('s', kib * 1024)}", 414, "sessionId");
            yield return BadInputCase.Get($"request line cursor {kib} KiB", $"{list}&limit=5&cursor={new string('c', kib * 1024)}", 414, "cursor");
            yield return BadInputCase.Get($"request line path {kib} KiB", $"/api/sessions/{new string('p', kib * 1024)}/performance", 414, "path");
        }
    }
}
