using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Benchmarks.SignalR;

/// <summary>
/// Holds one subscription to <see cref="WorkflowStreams.EventsChannel"/> and, as our hub's listener does, reads it in
/// order, parses each publication once and hands it to every subscriber of its session: here
/// <c>Clients.Group(session).SendAsync</c>, which serialises the invocation once and writes it to each connection.
/// </summary>
internal sealed class EventsForwarder(IConnectionMultiplexer redis, IHubContext<EventsHub> hub) : BackgroundService
{
    private volatile bool _subscribed;

    public bool IsSubscribed => _subscribed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(WorkflowStreams.EventsChannel)).ConfigureAwait(false);
        _subscribed = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var message = await queue.ReadAsync(stoppingToken).ConfigureAwait(false);
                if (WorkflowEventLog.ParsePublished((byte[])message.Message!) is not { } published)
                {
                    continue;
                }

                var frame = new SignalREventFrame(published.SessionStreamId, published.Event.RunId, published.SessionId, published.Event);
                await hub.Clients.Group(published.SessionId).SendAsync("event", frame, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await queue.UnsubscribeAsync().ConfigureAwait(false);
        }
    }
}
