using Microsoft.AspNetCore.SignalR;
using Observability.Workflows.Tickets;

namespace Observability.WebSocketHub.Benchmarks.SignalR;

/// <summary>The SignalR hub: a client follows a session by invoking <see cref="Subscribe"/> with the Gateway's ticket, as it sends our hub a subscribe frame.</summary>
internal sealed class EventsHub(EventTicketSigner tickets) : Hub
{
    /// <summary>Joins the session's group when the ticket allows it; false otherwise.</summary>
    public async Task<bool> Subscribe(string sessionId, string ticket)
    {
        if (tickets.Verify(ticket, out _) is not { } grant || !grant.Allows(sessionId))
        {
            return false;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, sessionId).ConfigureAwait(false);
        return true;
    }
}
