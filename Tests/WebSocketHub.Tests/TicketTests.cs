using Microsoft.Extensions.Options;
using Observability.TestInfrastructure.Redis;
using Observability.Workflows.Tickets;

namespace Observability.WebSocketHub.Tests;

/// <summary>A subscription needs a valid ticket for exactly that run or session; a refusal leaves the connection open.</summary>
[Trait("Category", "Integration")]
public sealed class TicketTests(RedisServerFixture redis, WorkflowsDatabaseFixture database)
{
    public static TheoryData<string> BadTickets => new() { "missing", "malformed", "forged", "expired", "other-run", "session-ticket" };

    [Theory]
    [MemberData(nameof(BadTickets))]
    public async Task Subscribe_BadTicket_ErrorFrameAndConnectionStaysOpen(string kind)
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        var runId = Guid.NewGuid();
        var ticket = kind switch
        {
            "missing" => null,
            "malformed" => "v1.run.not-a-ticket",
            "forged" => Signer(new string('f', 44), TimeProvider.System).IssueForRun(runId),
            "expired" => Signer(HubHost.SigningKey, new FixedTimeProvider(DateTimeOffset.UtcNow.AddHours(-1))).IssueForRun(runId),
            "other-run" => hub.Tickets.IssueForRun(Guid.NewGuid()),
            _ => hub.Tickets.IssueForSession(TestEvents.NewSessionId()),
        };
        await using var client = await hub.ConnectAsync(ct);

        await client.SubscribeRunAsync(runId, ticket!, ct);
        var error = await client.ExpectAsync("error", ct);
        await client.SubscribeRunAsync(runId, hub.Tickets.IssueForRun(runId), ct);
        var subscribed = await client.ExpectAsync("subscribed", ct);

        Assert.Equal("ticket_invalid", error.GetProperty("code").GetString());
        Assert.Equal("ticket", error.GetProperty("field").GetString());
        Assert.Equal(runId, error.GetProperty("runId").GetGuid());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(runId, subscribed.GetProperty("runId").GetGuid());
    }

    [Fact]
    public async Task Subscribe_SessionWithRunTicket_ErrorFrame()
    {
        using var timeout = TestTimeout.Start();
        var ct = timeout.Token;
        await using var hub = HubHost.Start(redis.ConnectionString, database.ConnectionString);
        await using var client = await hub.ConnectAsync(ct);

        var sessionId = TestEvents.NewSessionId();
        await client.SubscribeSessionAsync(sessionId, hub.Tickets.IssueForRun(Guid.NewGuid()), ct);
        var error = await client.ExpectAsync("error", ct);

        Assert.Equal("ticket_invalid", error.GetProperty("code").GetString());
        Assert.Equal(sessionId, error.GetProperty("sessionId").GetString());
        Assert.False(error.TryGetProperty("runId", out _));
    }

    private static EventTicketSigner Signer(string key, TimeProvider timeProvider) =>
        new(Options.Create(new EventTicketOptions { SigningKey = key, Lifetime = TimeSpan.FromMinutes(1) }), timeProvider);
}
