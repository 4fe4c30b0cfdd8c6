using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Observability.Workflows.Tickets;

/// <summary>
/// Issues and verifies event tickets: <c>v1.{scope}.{base64url(subject)}.{expiry unix seconds}.{base64url(HMAC-SHA256)}</c>,
/// the MAC taken over everything before the last dot with <see cref="EventTicketOptions.SigningKey"/>. Tickets are
/// bearer credentials: short-lived, bound to one run or session, compared in constant time.
/// </summary>
public sealed class EventTicketSigner
{
    /// <summary>Longest ticket <see cref="Verify"/> reads; anything longer is refused unparsed.</summary>
    public const int MaxTicketLength = 512;

    private const string Version = "v1";
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _timeProvider;

    public EventTicketSigner(IOptions<EventTicketOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (string.IsNullOrEmpty(value.SigningKey))
        {
            throw new InvalidOperationException($"{EventTicketOptions.SectionName}:SigningKey is required.");
        }

        _key = Encoding.UTF8.GetBytes(value.SigningKey);
        _lifetime = value.Lifetime;
        _timeProvider = timeProvider;
    }

    /// <summary>A ticket for the run <paramref name="runId"/>'s events.</summary>
    public string IssueForRun(Guid runId) => IssueForRun(runId, out _);

    /// <summary>A ticket for the run <paramref name="runId"/>'s events, and when it expires.</summary>
    public string IssueForRun(Guid runId, out DateTimeOffset expiresAt) => Issue(EventTicketScope.Run, runId.ToString("N"), out expiresAt);

    /// <summary>A ticket for the events of every run of the session <paramref name="sessionId"/>.</summary>
    public string IssueForSession(string sessionId) => IssueForSession(sessionId, out _);

    /// <summary>A ticket for the events of every run of the session <paramref name="sessionId"/>, and when it expires.</summary>
    public string IssueForSession(string sessionId, out DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return Issue(EventTicketScope.Session, sessionId, out expiresAt);
    }

    /// <summary>The ticket's grant when it is well formed, signed with our key and not expired; otherwise null and why.</summary>
    public EventTicket? Verify(string? ticket, out string? failure)
    {
        if (string.IsNullOrEmpty(ticket))
        {
            failure = "The ticket is missing.";
            return null;
        }

        if (ticket.Length > MaxTicketLength)
        {
            failure = "The ticket is too long.";
            return null;
        }

        var parts = ticket.Split('.');
        if (parts.Length != 5 || parts[0] != Version
            || !TryParseScope(parts[1], out var scope)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresUnix)
            || !TryDecode(parts[2], out var subjectBytes)
            || !TryDecode(parts[4], out var mac))
        {
            failure = "The ticket is malformed.";
            return null;
        }

        var signed = ticket.AsSpan(0, ticket.LastIndexOf('.'));
        if (!CryptographicOperations.FixedTimeEquals(Sign(signed), mac))
        {
            failure = "The ticket's signature is not valid.";
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiresUnix, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (expiresAt <= _timeProvider.GetUtcNow())
        {
            failure = "The ticket has expired.";
            return null;
        }

        failure = null;
        return new EventTicket(scope, Encoding.UTF8.GetString(subjectBytes), expiresAt);
    }

    private string Issue(EventTicketScope scope, string subject, out DateTimeOffset expiresAt)
    {
        var expires = _timeProvider.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds();
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        var payload = string.Create(CultureInfo.InvariantCulture,
            $"{Version}.{(scope == EventTicketScope.Run ? "run" : "session")}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(subject))}.{expires}");
        return payload + "." + Base64Url.EncodeToString(Sign(payload));
    }

    private byte[] Sign(ReadOnlySpan<char> payload)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(MaxTicketLength)];
        var length = Encoding.UTF8.GetBytes(payload, bytes);
        return HMACSHA256.HashData(_key, bytes[..length]);
    }

    private static bool TryParseScope(string value, out EventTicketScope scope)
    {
        switch (value)
        {
            case "run":
                scope = EventTicketScope.Run;
                return true;
            case "session":
                scope = EventTicketScope.Session;
                return true;
            default:
                scope = default;
                return false;
        }
    }

    private static bool TryDecode(string value, out byte[] bytes)
    {
        if (value.Length == 0 || !Base64Url.IsValid(value))
        {
            bytes = [];
            return false;
        }

        bytes = Base64Url.DecodeFromChars(value);
        return true;
    }
}
