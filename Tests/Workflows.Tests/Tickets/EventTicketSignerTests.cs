using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Observability.Workflows.Tickets;

namespace Observability.Workflows.Tests.Tickets;

public sealed class EventTicketSignerTests
{
    private const string Key = "0123456789abcdef0123456789abcdef-test-key";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static EventTicketSigner Signer(TimeProvider clock, string key = Key, TimeSpan? lifetime = null) =>
        new(Options.Create(new EventTicketOptions { SigningKey = key, Lifetime = lifetime ?? TimeSpan.FromMinutes(10) }), clock);

    [Fact]
    public void IssueForRun_Verified_AllowsThatRunOnly()
    {
        var signer = Signer(new FakeTimeProvider(Start));
        var runId = Guid.NewGuid();

        var ticket = signer.Verify(signer.IssueForRun(runId), out var failure);

        Assert.Null(failure);
        Assert.NotNull(ticket);
        Assert.Equal(EventTicketScope.Run, ticket.Scope);
        Assert.True(ticket.Allows(runId));
        Assert.False(ticket.Allows(Guid.NewGuid()));
        Assert.False(ticket.Allows(runId.ToString("N")));
        Assert.Equal(Start.AddMinutes(10), ticket.ExpiresAt);
        _ = signer.IssueForSession("s", out var reported);
        Assert.Equal(Start.AddMinutes(10), reported);
    }

    [Fact]
    public void IssueForSession_Verified_AllowsThatSessionOnly()
    {
        var signer = Signer(new FakeTimeProvider(Start));

        var ticket = signer.Verify(signer.IssueForSession("session.é/42"), out _);

        Assert.NotNull(ticket);
        Assert.True(ticket.Allows("session.é/42"));
        Assert.False(ticket.Allows("session.é/43"));
        Assert.False(ticket.Allows(Guid.NewGuid()));
    }

    [Fact]
    public void Verify_AfterLifetime_FailsAsExpired()
    {
        var clock = new FakeTimeProvider(Start);
        var signer = Signer(clock, lifetime: TimeSpan.FromSeconds(30));
        var issued = signer.IssueForRun(Guid.NewGuid());

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(signer.Verify(issued, out _));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(signer.Verify(issued, out var failure));
        Assert.Equal("The ticket has expired.", failure);
    }

    [Fact]
    public void Verify_SignedWithAnotherKey_FailsSignature()
    {
        var clock = new FakeTimeProvider(Start);
        var issued = Signer(clock, key: "another-key-that-is-long-enough-to-be-valid").IssueForRun(Guid.NewGuid());

        Assert.Null(Signer(clock).Verify(issued, out var failure));
        Assert.Equal("The ticket's signature is not valid.", failure);
    }

    [Fact]
    public void Verify_SubjectOrExpiryTampered_FailsSignature()
    {
        var signer = Signer(new FakeTimeProvider(Start));
        var parts = signer.IssueForRun(Guid.NewGuid()).Split('.');
        var otherRun = signer.IssueForRun(Guid.NewGuid()).Split('.');

        var swappedSubject = string.Join('.', parts[0], parts[1], otherRun[2], parts[3], parts[4]);
        var laterExpiry = string.Join('.', parts[0], parts[1], parts[2], (long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), parts[4]);
        var otherScope = string.Join('.', parts[0], "session", parts[2], parts[3], parts[4]);

        Assert.Null(signer.Verify(swappedSubject, out var first));
        Assert.Null(signer.Verify(laterExpiry, out var second));
        Assert.Null(signer.Verify(otherScope, out var third));
        Assert.All([first, second, third], failure => Assert.Equal("The ticket's signature is not valid.", failure));
    }

    [Theory]
    [InlineData(null, "The ticket is missing.")]
    [InlineData("", "The ticket is missing.")]
    [InlineData("v1.run.abc", "The ticket is malformed.")]
    [InlineData("v2.run.YWJj.1795315444.YWJj", "The ticket is malformed.")]
    [InlineData("v1.admin.YWJj.1795315444.YWJj", "The ticket is malformed.")]
    [InlineData("v1.run.YWJj.-5.YWJj", "The ticket is malformed.")]
    [InlineData("v1.run.!!.1795315444.YWJj", "The ticket is malformed.")]
    [InlineData("v1.run.YWJj.1795315444.", "The ticket is malformed.")]
    public void Verify_Malformed_FailsWithReason(string? ticket, string expected)
    {
        Assert.Null(Signer(new FakeTimeProvider(Start)).Verify(ticket, out var failure));
        Assert.Equal(expected, failure);
    }

    [Fact]
    public void Verify_OverMaxLength_FailsUnparsed()
    {
        var ticket = "v1.run." + new string('A', EventTicketSigner.MaxTicketLength) + ".1.AA";

        Assert.Null(Signer(new FakeTimeProvider(Start)).Verify(ticket, out var failure));
        Assert.Equal("The ticket is too long.", failure);
    }

    [Theory]
    [InlineData(null, "00:10:00", "SigningKey")]
    [InlineData("short", "00:10:00", "SigningKey")]
    [InlineData(Key, "00:00:00", "Lifetime")]
    [InlineData(Key, "2.00:00:00", "Lifetime")]
    public void Options_Invalid_FailNamingTheKey(string? key, string lifetime, string field)
    {
        var result = new ValidateEventTicketOptions().Validate(null, new EventTicketOptions
        {
            SigningKey = key,
            Lifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.True(result.Failed);
        Assert.Contains($"EventTickets:{field}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Valid_Succeed() =>
        Assert.True(new ValidateEventTicketOptions().Validate(null, new EventTicketOptions { SigningKey = Key }).Succeeded);
}
