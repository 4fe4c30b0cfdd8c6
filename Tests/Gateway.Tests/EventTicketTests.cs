using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Tickets;

namespace Observability.Gateway.Tests;

[Trait("Category", "Integration")]
public sealed class EventTicketTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Submit_ValidTask_ReturnsTicketThatAllowsThisRunOnly()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var before = DateTimeOffset.UtcNow;

        using var response = await gateway.SubmitAsync(new { task = "Follow me", sessionId = "s-ticket" }, timeout.Token);

        var after = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var runId = body.GetProperty("runId").GetGuid();
        Assert.Equal("ws://hub.test:5100/ws", body.GetProperty("eventsUrl").GetString());
        var ticket = body.GetProperty("eventsTicket").GetString();
        var grant = Signer(GatewayHost.TicketSigningKey).Verify(ticket, out var failure);
        Assert.NotNull(grant);
        Assert.Null(failure);
        Assert.True(grant.Allows(runId));
        Assert.False(grant.Allows(Guid.CreateVersion7()));
        Assert.False(grant.Allows("s-ticket"));
        Assert.Equal(grant.ExpiresAt, body.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.InRange(grant.ExpiresAt, before + DefaultLifetime - TimeSpan.FromSeconds(1), after + DefaultLifetime);
    }

    [Fact]
    public async Task Submit_TicketCheckedWithAnotherKey_DoesNotVerify()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.SubmitAsync(new { task = "Not yours" }, timeout.Token);

        var ticket = (await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("eventsTicket").GetString();
        Assert.Null(Signer("another-deployments-event-ticket-signing-key-987").Verify(ticket, out var failure));
        Assert.NotNull(failure);
    }

    [Fact]
    public async Task Submit_IdempotentReplay_ReturnsATicketForTheSameRun()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var request = new { task = "Twice", sessionId = "s-replay" };

        using var first = await gateway.SubmitAsync(request, timeout.Token, idempotencyKey: "ticket-key");
        using var second = await gateway.SubmitAsync(request, timeout.Token, idempotencyKey: "ticket-key");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var runId = (await first.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("runId").GetGuid();
        var replay = await second.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var grant = Signer(GatewayHost.TicketSigningKey).Verify(replay.GetProperty("eventsTicket").GetString(), out _);
        Assert.True(grant?.Allows(runId));
        Assert.Equal(grant!.ExpiresAt, replay.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Get_Run_ReturnsAFreshTicketForTheRun()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);
        var (runId, _) = await WorkflowsApiReadTests.SubmitAsync(gateway, "s-get-ticket", timeout.Token);

        var run = await gateway.Client.GetFromJsonAsync<JsonElement>($"/api/workflows/{runId}", timeout.Token);

        Assert.Equal("ws://hub.test:5100/ws", run.GetProperty("eventsUrl").GetString());
        var grant = Signer(GatewayHost.TicketSigningKey).Verify(run.GetProperty("eventsTicket").GetString(), out _);
        Assert.True(grant?.Allows(runId));
        Assert.Equal(grant!.ExpiresAt, run.GetProperty("eventsTicketExpiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task SessionTicket_ValidSessionId_ReturnsTicketThatAllowsThisSessionOnly()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.PostAsync("/api/sessions/team-a:chat_1.x/events-ticket", null, timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.Equal("team-a:chat_1.x", body.GetProperty("sessionId").GetString());
        Assert.Equal("ws://hub.test:5100/ws", body.GetProperty("eventsUrl").GetString());
        var grant = Signer(GatewayHost.TicketSigningKey).Verify(body.GetProperty("ticket").GetString(), out _);
        Assert.NotNull(grant);
        Assert.True(grant.Allows("team-a:chat_1.x"));
        Assert.False(grant.Allows("team-a"));
        Assert.Equal(grant.ExpiresAt, body.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("a%3Cscript%3E")]
    [InlineData("a%2Fb")]
    public async Task SessionTicket_InvalidSessionId_Returns400NamingSessionId(string sessionId)
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.PostAsync($"/api/sessions/{sessionId}/events-ticket", null, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty("sessionId", out _), problem.ToString());
    }

    [Fact]
    public async Task SessionTicket_SessionIdOver128Characters_Returns400NamingSessionId()
    {
        using var timeout = TestTimeout.Start();
        await using var gateway = await GatewayHost.StartAsync(postgres, redis.ConnectionString, timeout.Token);

        using var response = await gateway.Client.PostAsync($"/api/sessions/{new string('s', 129)}/events-ticket", null, timeout.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        Assert.True(problem.GetProperty("errors").TryGetProperty("sessionId", out _), problem.ToString());
    }

    [Fact]
    public async Task Submit_WithEverythingRecorded_NeverPutsTheTicketInLogsOrSpans()
    {
        using var timeout = TestTimeout.Start();
        var logs = new FakeLogCollector();
        var tags = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                tags.Enqueue(activity.DisplayName);
                foreach (var tag in activity.TagObjects)
                {
                    tags.Enqueue($"{tag.Key}={tag.Value}");
                }

                foreach (var activityEvent in activity.Events)
                {
                    tags.Enqueue(string.Join(",", activityEvent.Tags.Select(t => $"{t.Key}={t.Value}")));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await GatewayHost.StartAsync(
            postgres,
            redis.ConnectionString,
            timeout.Token,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));

        using var submit = await gateway.SubmitAsync(new { task = "Keep it secret", sessionId = "s-secret" }, timeout.Token);
        var body = await submit.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var runId = body.GetProperty("runId").GetGuid();
        var run = await gateway.Client.GetFromJsonAsync<JsonElement>($"/api/workflows/{runId}", timeout.Token);
        using var session = await gateway.Client.PostAsync("/api/sessions/s-secret/events-ticket", null, timeout.Token);
        var sessionTicket = (await session.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("ticket").GetString()!;
        await gateway.WaitForJobAsync(runId, timeout.Token);

        // Each record as its category, level, formatted message, structured values, scopes and exception.
        var records = logs.GetSnapshot().Select(record =>
            $"{record.Category} {record.Level}: {record.Message} {string.Join(", ", record.StructuredState ?? [])} {string.Join(", ", record.Scopes)} {record.Exception}").ToList();
        Assert.Contains(records, record => record.Contains(runId.ToString(), StringComparison.Ordinal));
        foreach (var secret in (string[])[body.GetProperty("eventsTicket").GetString()!, run.GetProperty("eventsTicket").GetString()!, sessionTicket])
        {
            // The MAC is the part only the key holder can make: it must appear nowhere.
            var mac = secret[(secret.LastIndexOf('.') + 1)..];
            Assert.DoesNotContain(records, record => record.Contains(mac, StringComparison.Ordinal));
            Assert.DoesNotContain(tags, tag => tag.Contains(mac, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Start_WithoutSigningKey_FailsNamingTheKey()
    {
        using var timeout = TestTimeout.Start();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var gateway = await GatewayHost.StartAsync(
                postgres,
                redis.ConnectionString,
                timeout.Token,
                new Dictionary<string, string?> { ["EventTickets:SigningKey"] = "too-short" });
        });

        Assert.Contains("EventTickets:SigningKey", exception.Message, StringComparison.Ordinal);
    }

    private static EventTicketSigner Signer(string key)
        => new(Options.Create(new EventTicketOptions { SigningKey = key }), TimeProvider.System);
}
