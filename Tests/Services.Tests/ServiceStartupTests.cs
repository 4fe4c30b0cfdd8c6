using System.Net;
using System.Text.Json;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Prometheus;
using Observability.TestInfrastructure.Redis;

namespace Observability.Services.Tests;

/// <summary>
/// Each service, started from its build output in Production with the connection strings Aspire would inject (its
/// own database on the real PostgreSQL, the real Redis), answers probes, scrapes and stops cleanly.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ServiceStartupTests(RedisServerFixture redis, PostgresServerFixture postgres)
{
    public static TheoryData<string> Services => new() { "Gateway", "Worker", "WebSocketHub" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Start_Production_ProbesAnswerOk(string project)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(project);
        using var client = CreateClient(service);

        foreach (var path in (string[])["/alive", "/ready", "/health", "/status"])
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{project} {path} answered {(int)response.StatusCode}: {service.Output}");
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Metrics_LiveScrape_PassesPromtool(string project)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(project);
        using var client = CreateClient(service);
        using (await client.GetAsync(new Uri("/does-not-exist", UriKind.Relative), ct))
        {
        }

        var scrape = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);

        Assert.Contains("http_server_request_duration_seconds_bucket", scrape, StringComparison.Ordinal);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(scrape, ct);
        Assert.True(Promtool.Accepts(exitCode, output), $"promtool check metrics failed ({exitCode}): {output}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Request_WithCorrelationId_EchoesItAndLogsJson(string project)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(project);
        using var client = CreateClient(service);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/does-not-exist", UriKind.Relative));
        request.Headers.Add("X-Correlation-ID", "order-42.retry_1");

        using var response = await client.SendAsync(request, ct);

        Assert.Equal("order-42.retry_1", Assert.Single(response.Headers.GetValues("X-Correlation-ID")));
        var lines = service.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("timestamp", out _), line);
            Assert.True(json.RootElement.TryGetProperty("level", out _), line);
            Assert.True(json.RootElement.TryGetProperty("category", out _), line);
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task SigTerm_Running_ExitsGracefullyWithCodeZero(string project)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var service = await StartAsync(project);

        service.Signal(NativeMethods.SigTerm);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await service.WaitForExitAsync(timeout.Token);
        var exitCode = service.ExitCode;

        Assert.True(exitCode == 0, $"{project} exited with {exitCode}: {service.Output}");
    }

    /// <summary>A 44-character test key; the AppHost gives the Gateway and the WebSocketHub a generated one.</summary>
    private const string EventTicketSigningKey = "services-tests-event-ticket-key-0123456789ab";

    /// <summary>Starts <c>Observability.{project}.dll</c> from its build output and waits until <c>/alive</c> answers.</summary>
    private async Task<ServiceProcess> StartAsync(string project)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTEL_SERVICE_NAME"] = project.ToLowerInvariant(),
            ["ConnectionStrings__cache"] = redis.ConnectionString,
            ["ConnectionStrings__workflows"] = await postgres.CreateDatabaseAsync(TestContext.Current.CancellationToken),
            ["EventTickets__SigningKey"] = EventTicketSigningKey,
        };
        return await ServiceProcess.StartAsync(
            project,
            ServiceProcess.BuildOutput(typeof(ServiceStartupTests).Assembly, project),
            ServiceProcess.NewAddress(),
            environment,
            "/alive",
            TimeSpan.FromSeconds(60),
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private static HttpClient CreateClient(ServiceProcess service) => new() { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(10) };
}
