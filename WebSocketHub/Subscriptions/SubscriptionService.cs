using Microsoft.Extensions.Options;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Protocol;
using Observability.Workflows.Tickets;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// Handles <c>subscribe</c> and <c>unsubscribe</c>: checks the ticket, registers the subscription for live events,
/// replays what the client missed, then lets the buffered live events through (no gap, no duplicate).
/// </summary>
internal sealed class SubscriptionService(
    EventTicketSigner tickets,
    SubscriptionRouter router,
    StreamReplayer replayer,
    SubscriptionResync resync,
    EventsListener listener,
    IOptions<WebSocketHubOptions> options,
    ILogger<SubscriptionService> logger)
{
    private readonly WebSocketHubOptions _options = options.Value;

    /// <summary>Subscribes; returns the error to send back, or null when the subscription is live (or the connection is closing).</summary>
    public async Task<ErrorFrame?> SubscribeAsync(HubConnection connection, ClientFrame frame, CancellationToken cancellationToken)
    {
        var key = new SubscriptionKey(frame.RunId, frame.SessionId);
        var ticket = tickets.Verify(frame.Ticket, out var failure);
        if (ticket is null)
        {
            return new ErrorFrame(ErrorCodes.TicketInvalid, failure ?? "The ticket is not valid.", "ticket", key.RunId, key.SessionId);
        }

        if (key.RunId is { } runId ? !ticket.Allows(runId) : !ticket.Allows(key.SessionId!))
        {
            return new ErrorFrame(ErrorCodes.TicketInvalid, $"The ticket does not allow the {key}.", "ticket", key.RunId, key.SessionId);
        }

        Unsubscribe(connection, key);
        if (connection.Subscriptions.Count >= _options.MaxSubscriptionsPerConnection)
        {
            return new ErrorFrame(ErrorCodes.TooManySubscriptions, $"A connection may follow at most {_options.MaxSubscriptionsPerConnection} runs and sessions.", null, key.RunId, key.SessionId);
        }

        StreamId? after = frame.LastEventId is { } lastEventId ? StreamId.Parse(lastEventId) : null;
        var subscription = new Subscription(connection, key, after, _options.MaxQueuedMessages);
        try
        {
            // Live events must flow before the subscription registers, and it must register before the replay reads,
            // so that every event is either in the replay or in the buffer (or both: then the ids tell).
            await listener.WaitUntilSubscribedAsync(cancellationToken).WaitAsync(_options.SendTimeout, cancellationToken).ConfigureAwait(false);
            connection.Subscriptions[key] = subscription;
            router.Add(subscription);
            await replayer.CatchUpAsync(subscription, sendSubscribed: true, cancellationToken).ConfigureAwait(false);
            if (subscription.TakeRecheck() is { } recheck)
            {
                resync.ResyncLater(subscription, recheck, cancellationToken);
            }

            return null;
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or Npgsql.NpgsqlException or TimeoutException)
        {
            HubLog.ReplayFailed(logger, e, key.StreamKey, connection.Id);
            Unsubscribe(connection, key);
            return new ErrorFrame(ErrorCodes.Unavailable, "The run's events or state cannot be read right now; subscribe again later.", null, key.RunId, key.SessionId);
        }
    }

    /// <summary>Stops following <paramref name="key"/> (nothing happens when the connection does not follow it).</summary>
    public void Unsubscribe(HubConnection connection, SubscriptionKey key)
    {
        if (connection.Subscriptions.Remove(key, out var subscription))
        {
            subscription.Close();
            router.Remove(subscription);
        }
    }

    /// <summary>Ends every subscription of a closing connection.</summary>
    public void UnsubscribeAll(HubConnection connection)
    {
        foreach (var key in connection.Subscriptions.Keys.ToArray())
        {
            Unsubscribe(connection, key);
        }
    }
}
