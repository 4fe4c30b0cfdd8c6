using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;

namespace Observability.Gateway.Tests;

/// <summary>
/// Bad input never gets a 5xx: every one of <see cref="BadInputCatalogue"/> (and randomly mutated submits) answers 4xx
/// problem details naming the field or parameter at fault, without a .NET type name, on the real Gateway with its real
/// database and Redis.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    /// <summary>Set to replay one run of <see cref="Submit_RandomlyMutatedBodies_NeverAnswer5xxAndNameTheField"/>.</summary>
    private const string SeedVariable = "BAD_INPUT_SEED";

    [Fact]
    public async Task Catalogue_EveryBadInput_Answers4xxProblemNamingTheField()
    {
        using var timeout = TestTimeout.Start(180);
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, onKestrel: true);

        var cases = BadInputCatalogue.All().ToList();
        var failures = new List<string>();
        var answers = new StringBuilder();
        foreach (var badInput in cases)
        {
            using var request = badInput.ToRequest();
            using var response = await gateway.Client.SendAsync(request, timeout.Token);
            answers.AppendLine(CultureInfo.InvariantCulture, $"{badInput.Name} -> {await BadInputCase.DescribeAsync(response, timeout.Token)}");
            if (await badInput.CheckAsync(response, timeout.Token) is { } failure)
            {
                failures.Add(failure);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(answers.ToString());
        Assert.True(cases.Count >= 200, $"The catalogue shrank to {cases.Count} cases.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} bad inputs got the wrong answer:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task Submit_RandomlyMutatedBodies_NeverAnswer5xxAndNameTheField()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        using var timeout = TestTimeout.Start(180);
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, onKestrel: true);

        var mutator = new SubmitBodyMutator(seed);
        var failures = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var mutation = mutator.Next();
            using var content = new ByteArrayContent(mutation.Body);
            content.Headers.ContentType = new("application/json");
            using var response = await gateway.Client.PostAsync(BadInputCatalogue.Submit, content, timeout.Token);
            if (await mutation.CheckAsync(response, timeout.Token) is { } failure)
            {
                failures.Add(failure);
            }
        }

        Assert.True(
            failures.Count == 0,
            $"Seed {seed} (replay with {SeedVariable}={seed}): {failures.Count} of 300 mutated bodies got the wrong answer:\n{string.Join('\n', failures.Take(20))}");
    }

    /// <summary>
    /// Past Kestrel's backstop (<c>RequestLimits:KestrelBackstopFactor</c> times the limits: 128 KiB of header fields,
    /// 400 of them, a request line of 32 KiB) Kestrel refuses the request while it parses it, before there is an
    /// <c>HttpContext</c>: no middleware runs, so the answer is Kestrel's own, 431 or 414 with an empty body and
    /// <c>Connection: close</c>. What matters then is that it is a 4xx and that the service goes on serving. (Below the
    /// backstop the catalogue's cases get problem details.)
    /// </summary>
    [Theory]
    [InlineData("header", 431)]
    [InlineData("header count", 431)]
    [InlineData("request line", 414)]
    public async Task PastKestrelsBackstop_KestrelAnswersWithEmptyBodyAndKeepsServing(string what, int status)
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, onKestrel: true);

        using var request = what switch
        {
            "header" => new HttpRequestMessage(HttpMethod.Get, "/api/workflows?sessionId=s-1") { Headers = { { "X-Padding", new string('p', 160 * 1024) } } },
            "header count" => new HttpRequestMessage(HttpMethod.Get, "/api/workflows?sessionId=s-1"),
            _ => new HttpRequestMessage(HttpMethod.Get, "/api/workflows?sessionId=" + new string('s', 36 * 1024)),
        };
        if (what == "header count")
        {
            for (var i = 0; i < 420; i++)
            {
                request.Headers.Add($"X-Field-{i}", "v");
            }
        }

        using var response = await gateway.Client.SendAsync(request, timeout.Token);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(timeout.Token));
        Assert.True(response.Headers.ConnectionClose, "Kestrel closes the connection after refusing the request.");

        using var next = await gateway.Client.GetAsync("/api/workflows?sessionId=s-1", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    /// <summary>
    /// Between the documented limits and Kestrel's backstop the Gateway answers problem details naming the limit's key
    /// and what is at fault, and keeps the connection.
    /// </summary>
    [Fact]
    public async Task OversizedHeader_BelowTheBackstop_ProblemNamesTheLimitAndTheHeader()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, onKestrel: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/workflows?sessionId=s-1") { Headers = { { "X-Padding", new string('p', 64 * 1024) } } };

        using var response = await gateway.Client.SendAsync(request, timeout.Token);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));

        Assert.Equal(431, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("RequestLimits:MaxRequestHeadersTotalSize", problem.RootElement.GetProperty("limit").GetString());
        Assert.Contains("32768", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("X-Padding", out _), problem.RootElement.ToString());
        Assert.True(problem.RootElement.TryGetProperty("traceId", out _), "The Gateway's problems carry the trace id.");
        Assert.False(response.Headers.ConnectionClose ?? false, "The connection is kept: the request was read whole.");
    }

    /// <summary>
    /// HTTP that is malformed. A header line without a colon fails while Kestrel parses the request: 400 with an empty
    /// body, as above. A chunked body with a bad chunk size fails while the endpoint reads it: Kestrel throws
    /// <c>BadHttpRequestException</c> into the application, and the exception handler answers its 400 as problem
    /// details (its default would be 500).
    /// </summary>
    [Theory]
    [InlineData("header line without colon", "GET /api/workflows?sessionId=s-1 HTTP/1.1\r\nHost: {0}\r\nX-Bad no colon\r\n\r\n", null)]
    [InlineData("bad chunk size", "POST /api/workflows HTTP/1.1\r\nHost: {0}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{{}}\r\n0\r\n\r\n", "application/problem+json")]
    public async Task MalformedHttp_Answers400AndKeepsServing(string what, string requestFormat, string? contentType)
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token, onKestrel: true);
        var address = gateway.Client.BaseAddress!;

        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(string.Format(CultureInfo.InvariantCulture, requestFormat, address.Authority)), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync(timeout.Token); // Kestrel closes the connection after a bad request

        Assert.True(response.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), $"{what}: {response}");
        if (contentType is null)
        {
            Assert.Contains("Content-Length: 0", response, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Contains($"Content-Type: {contentType}", response, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", response, StringComparison.Ordinal);
        }

        using var next = await gateway.Client.GetAsync("/api/workflows?sessionId=s-1", timeout.Token);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
