using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Observability.TestInfrastructure.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>
/// Bad input never breaks the hub: every client frame of the catalogue (wrong types for every field, NUL, control
/// characters, lone surrogates, huge numbers, malformed JSON), and randomly mutated subscribe frames, get an error
/// frame naming the field at fault (without a .NET type name) on a connection that stays open; bad HTTP gets 4xx.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    /// <summary>Set to replay one run of <see cref="Receive_RandomlyMutatedSubscribeFrames_AnswerEachAndStayOpen"/>.</summary>
    private const string SeedVariable = "BAD_INPUT_SEED";

    private const string BadRequest = "bad_request";
    private const string TicketInvalid = "ticket_invalid";

    private static readonly string[] Leaks = ["Observability.", "System.", "Microsoft.", "Exception"];

    private static readonly string[] WrongTypes = ["5", "-1", "1e400", "99999999999999999999999", "true", "[]", "[\"x\"]", "{}"];

    private static readonly Dictionary<string, string?> Settings = new() { ["WebSocketHub:MaxProtocolErrors"] = "10000" };

    /// <summary>(frame, expected code, expected field or "" for none).</summary>
    private static IEnumerable<(string Frame, string Code, string Field)> Catalogue()
    {
        const string run = "6f1c2a9e-32f4-4a55-9b0e-0c4b8f3f8f10";
        string Subscribe(string field, string value) => field switch
        {
            "type" => $$"""{"type":{{value}},"runId":"{{run}}","ticket":"t"}""",
            "runId" => $$"""{"type":"subscribe","runId":{{value}},"ticket":"t"}""",
            "sessionId" => $$"""{"type":"subscribe","sessionId":{{value}},"ticket":"t"}""",
            _ => $$"""{"type":"subscribe","runId":"{{run}}","ticket":"t","{{field}}":{{value}}}""",
        };

        foreach (var field in new[] { "type", "runId", "sessionId", "ticket", "lastEventId" })
        {
            foreach (var value in WrongTypes.Append("\"\\ud800\"").Append("\"x\\udc00\""))
            {
                yield return (Subscribe(field, value), BadRequest, field);
            }
        }

        foreach (var value in new[] { "null", "\"\"", "\"SUBSCRIBE\"", "\"publish\"", "\"subscribe\\u0000\"" })
        {
            yield return (Subscribe("type", value), BadRequest, "type");
        }

        foreach (var value in new[] { "\"\"", "\"not-a-guid\"", "\"00000000-0000-0000-0000-000000000000\"", "\"\\u0000\"", $"\"{run}\\u0000\"", $"\"{run}x\"" })
        {
            yield return (Subscribe("runId", value), BadRequest, "runId");
        }

        foreach (var value in new[] { "\"\"", "\"\\u0000\"", "\"a\\u0007b\"", "\"\\u001b[2J\"", "\"\\u0085\"", "\"\\ud83d\\ude00\"", $"\"{new string('s', 201)}\"" })
        {
            yield return (Subscribe("sessionId", value), BadRequest, "sessionId");
        }

        foreach (var value in new[] { "\"\"", "\"abc\"", "\"-1\"", "\"1-\"", "\"1-2-3\"", "\"99999999999999999999999-0\"", "\"1-99999999999999999999999\"", "\"\\u0000\"", "\"1\\u0000-0\"", "\" 1-0\"" })
        {
            yield return (Subscribe("lastEventId", value), BadRequest, "lastEventId");
        }

        foreach (var value in new[] { "\"\"", "\"x\"", "\"\\u0000\"", "\"a.b.c.d.e\"", $"\"{new string('t', 600)}\"" })
        {
            yield return (Subscribe("ticket", value).Replace(",\"ticket\":\"t\"", "", StringComparison.Ordinal), TicketInvalid, "ticket");
        }

        yield return ($$"""{"type":"subscribe","ticket":"t"}""", BadRequest, "runId");
        yield return ($$"""{"type":"subscribe","runId":"{{run}}","sessionId":"s","ticket":"t"}""", BadRequest, "sessionId");

        foreach (var frame in new[] { "", " ", "{", "}", "[]", "null", "5", "\"subscribe\"", "not json", "{'type':'subscribe'}", "{\"type\":\"subscribe\"} trailing" })
        {
            yield return (frame, BadRequest, "");
        }
    }

    [Fact]
    public async Task Receive_CatalogueOfBadFrames_ErrorFrameNamesTheFieldAndTheConnectionStaysOpen()
    {
        using var timeout = TestTimeout.Start(120);
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        await using var client = await hub.ConnectAsync(ct);

        var cases = Catalogue().ToList();
        var failures = new List<string>();
        foreach (var (frame, code, field) in cases)
        {
            await client.SendTextAsync(frame, ct);
            var reply = await client.ReceiveAsync(ct);
            if (Problem(reply, code, field) is { } problem)
            {
                failures.Add($"{Shorten(frame)}: {problem} (reply: {reply})");
            }
        }

        Assert.True(cases.Count >= 80, $"The catalogue shrank to {cases.Count} frames.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} bad frames got the wrong reply:\n{string.Join('\n', failures)}");
        await AssertStillServesAsync(hub, client, ct);
    }

    [Fact]
    public async Task Receive_BinaryFrame_ErrorFrameWithoutField()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        await using var client = await hub.ConnectAsync(ct);

        await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"type":"subscribe"}"""), WebSocketMessageType.Binary, ct);
        var reply = await client.ExpectAsync("error", ct);

        Assert.Null(Problem(reply, BadRequest, ""));
        await AssertStillServesAsync(hub, client, ct);
    }

    /// <summary>
    /// A text message that is not UTF-8 breaks the WebSocket protocol itself: the framework's WebSocket sends close 1007
    /// and fails the receive, and the hub then aborts the connection, so the client sees 1007 or a reset, whichever
    /// arrives first. Either way that connection ends and the hub serves others.
    /// </summary>
    [Fact]
    public async Task Receive_TextFrameNotUtf8_ConnectionEndsAndTheHubServesOthers()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        await using var client = await hub.ConnectAsync(ct);

        await client.SendRawAsync([.. Encoding.UTF8.GetBytes("{\"type\":\"subscribe\",\"sessionId\":\"a"), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], WebSocketMessageType.Text, ct);

        WebSocketCloseStatus? status = null;
        try
        {
            status = await client.ReceiveCloseAsync(ct);
        }
        catch (WebSocketException)
        {
            // The hub aborted the connection before its close frame was read.
        }

        Assert.True(status is null or WebSocketCloseStatus.InvalidPayloadData, $"Closed with {status}.");
        await using var other = await hub.ConnectAsync(ct);
        await AssertStillServesAsync(hub, other, ct);
    }

    [Fact]
    public async Task Receive_RandomlyMutatedSubscribeFrames_AnswerEachAndStayOpen()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        using var timeout = TestTimeout.Start(120);
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        await using var client = await hub.ConnectAsync(ct);
        var runId = Guid.NewGuid();
        var mutator = new FrameMutator(seed, runId, hub.Tickets.IssueForRun(runId));

        var failures = new List<string>();
        var sent = 0;
        while (sent < 300)
        {
            var (frame, field) = mutator.Next();
            if (IsUnsubscribe(frame))
            {
                continue; // the one valid frame that gets no reply
            }

            sent++;
            await client.SendTextAsync(frame, ct);
            var reply = await client.ReceiveAsync(ct);
            var type = reply.GetProperty("type").GetString();
            if (type == "truncated")
            {
                // A valid subscribe with a lastEventId to this run, which has no stream: told so first, then subscribed.
                if (field is not null)
                {
                    failures.Add($"{Shorten(frame)}: truncated although '{field}' is wrong (reply: {reply})");
                }

                reply = await client.ReceiveAsync(ct);
                type = reply.GetProperty("type").GetString();
            }

            var problem = type switch
            {
                "subscribed" => field is null ? null : $"subscribed although '{field}' is wrong",
                "error" => reply.GetProperty("code").GetString() is BadRequest or TicketInvalid
                    ? Problem(reply, reply.GetProperty("code").GetString()!, field ?? (reply.TryGetProperty("field", out var named) ? named.GetString() ?? "" : ""))
                    : "an unexpected error code",
                _ => "an unexpected reply",
            };
            if (problem is not null)
            {
                failures.Add($"{Shorten(frame)}: {problem} (reply: {reply})");
            }
        }

        Assert.True(
            failures.Count == 0,
            $"Seed {seed} (replay with {SeedVariable}={seed}): {failures.Count} of {sent} mutated frames got the wrong reply:\n{string.Join('\n', failures.Take(20))}");
        await AssertStillServesAsync(hub, client, ct);
    }

    /// <summary>The hub's HTTP side: a plain GET with bad query values is 400 problem details; the WebSocket ignores the query.</summary>
    [Fact]
    public async Task Http_BadQueryAndNoUpgrade_400ProblemDetails_QueryIgnoredOnUpgrade()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };

        using var plain = await http.GetAsync("/ws?ticket=%00&lastEventId=%ED%A0%80&runId=99999999999", ct);
        await using var upgraded = await HubClient.ConnectAsync(new Uri(hub.WebSocketUri + "?ticket=%00&lastEventId=x"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        await AssertStillServesAsync(hub, upgraded, ct);
    }

    /// <summary>
    /// Request heads over <c>RequestLimits</c> (header fields 32 KiB in total, 100 of them, a request line of 8 KiB),
    /// on <c>/ws</c> (the upgrade) or any other path: 431/414 problem details naming the header, query parameter or
    /// path at fault and the limit's key, up to Kestrel's backstop (4 times each).
    /// </summary>
    [Theory]
    [InlineData("header", 431, "X-Padding", "MaxRequestHeadersTotalSize")]
    [InlineData("ticket header", 431, "Sec-WebSocket-Protocol", "MaxRequestHeadersTotalSize")]
    [InlineData("header count", 431, "headers", "MaxRequestHeaderCount")]
    [InlineData("query", 414, "ticket", "MaxRequestLineSize")]
    [InlineData("path", 414, "path", "MaxRequestLineSize")]
    public async Task Http_OversizedHead_ProblemNamesWhatIsAtFaultAndTheLimit(string what, int status, string field, string limit)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, what switch
        {
            "query" => "/ws?ticket=" + new string('t', 20 * 1024),
            "path" => "/" + new string('p', 20 * 1024),
            _ => "/ws",
        });
        switch (what)
        {
            case "header":
                request.Headers.Add("X-Padding", new string('p', 100 * 1024));
                break;
            case "ticket header":
                request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", new string('t', 40 * 1024));
                break;
            case "header count":
                for (var i = 0; i < 200; i++)
                {
                    request.Headers.Add($"X-Field-{i}", "v");
                }

                break;
            default:
                break;
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        using var problem = JsonDocument.Parse(text);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal($"RequestLimits:{limit}", problem.RootElement.GetProperty("limit").GetString());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.DoesNotContain(Leaks, leak => text.Contains(leak, StringComparison.Ordinal));
        await using var client = await hub.ConnectAsync(ct);
        await AssertStillServesAsync(hub, client, ct);
    }

    /// <summary>
    /// Past Kestrel's backstop (128 KiB of header fields) Kestrel refuses the request while parsing it, before any
    /// middleware runs: 431 with an empty body; the hub goes on serving.
    /// </summary>
    [Fact]
    public async Task Http_HeaderPastKestrelsBackstop_KestrelAnswers431AndKeepsServing()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString, Settings);
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws") { Headers = { { "X-Padding", new string('p', 160 * 1024) } } };

        using var response = await http.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(ct));
        await using var client = await hub.ConnectAsync(ct);
        await AssertStillServesAsync(hub, client, ct);
    }

    private static string? Problem(JsonElement reply, string code, string field)
    {
        if (reply.GetProperty("type").GetString() != "error")
        {
            return "expected an error frame";
        }

        if (reply.GetProperty("code").GetString() != code)
        {
            return $"expected code {code}";
        }

        var named = reply.TryGetProperty("field", out var value) ? value.GetString() ?? "" : "";
        if (named != field)
        {
            return $"expected field '{field}'";
        }

        var text = reply.GetRawText();
        return Leaks.FirstOrDefault(leak => text.Contains(leak, StringComparison.Ordinal)) is { } leaked ? $"the reply names '{leaked}'" : null;
    }

    /// <summary>The connection still subscribes: a valid subscribe gets <c>subscribed</c>.</summary>
    private static async Task AssertStillServesAsync(HubHost hub, HubClient client, CancellationToken ct)
    {
        var runId = Guid.NewGuid();
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        await client.ExpectAsync("subscribed", ct);
    }

    private static bool IsUnsubscribe(string frame)
    {
        try
        {
            // The bytes the hub gets (a lone surrogate becomes U+FFFD on the way).
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(frame));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && string.Equals(type.GetString(), "unsubscribe", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false; // not JSON, or a lone surrogate in the type
        }
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
