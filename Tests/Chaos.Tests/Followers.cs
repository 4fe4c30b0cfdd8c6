using System.Globalization;
using System.Text.Json;
using Observability.EndToEnd.Tests.Harness;

namespace Observability.Chaos.Tests;

/// <summary>
/// Follows each run as a new client does once the faults are over (a subscribe without <c>lastEventId</c>, with the
/// ticket of <c>GET /api/workflows/{id}</c>) and sorts what the hub tells it: a stream <b>whole</b> from the run's
/// first event to a final one, or <b>marked</b> (a <c>truncated</c> frame whose run state from PostgreSQL is final),
/// or <b>silent</b> (events were lost and the follower is not told the run ended: must never happen).
/// </summary>
internal static class Followers
{
    public static async Task<FollowerReport> CheckAsync(Platform platform, IReadOnlyCollection<Guid> runs, CancellationToken cancellationToken)
    {
        using var http = platform.CreateGatewayClient();
        var whole = 0;
        var marked = 0;
        var silent = new List<string>();
        foreach (var runId in runs)
        {
            using var details = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/workflows/{runId}", UriKind.Relative), cancellationToken));
            var eventsUrl = details.RootElement.GetProperty("eventsUrl").GetString()!;
            var ticket = details.RootElement.GetProperty("eventsTicket").GetString()!;
            await using var client = await HubClient.ConnectAsync(new Uri(eventsUrl), cancellationToken);
            await client.SendAsync(new { type = "subscribe", runId, ticket }, cancellationToken);
            HubFrame? truncated = null;
            var events = new List<HubFrame>();
            for (var frame = await client.ReceiveAsync(cancellationToken); frame.Type != "subscribed"; frame = await client.ReceiveAsync(cancellationToken))
            {
                Assert.True(frame.Type != "error", $"run {runId}: the hub answered {frame}");
                if (frame.Type == "truncated")
                {
                    truncated ??= frame;
                }
                else if (frame.IsEvent)
                {
                    events.Add(frame);
                }
            }

            if (truncated is not null && truncated.Root.TryGetProperty("run", out var run) && run.GetProperty("final").GetBoolean())
            {
                marked++;
            }
            else if (truncated is null && events is [{ Sequence: 1 }, ..] && events.Any(e => e.EventType is "Completed" or "Failed" or "Cancelled"))
            {
                whole++;
            }
            else
            {
                silent.Add($"run {runId}: {(truncated?.ToString() ?? "no truncated frame")}, events [{string.Join(", ", events.Select(e => $"{e.Sequence}:{e.EventType}"))}]");
            }
        }

        return new FollowerReport(whole, marked, silent);
    }
}

/// <summary>What <see cref="Followers.CheckAsync"/> found.</summary>
internal sealed record FollowerReport(int Whole, int Marked, IReadOnlyList<string> Silent)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"followers: whole={Whole} marked={Marked} silent={Silent.Count}");
}
