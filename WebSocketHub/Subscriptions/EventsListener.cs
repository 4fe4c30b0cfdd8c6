using System.Diagnostics;
using System.Threading.Channels;
using Observability.WebSocketHub.Telemetry;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// This instance's one subscription to <see cref="WorkflowStreams.EventsChannel"/>, read in order from a
/// StackExchange.Redis <see cref="ChannelMessageQueue"/>. Each published event is routed to the local subscriptions of
/// its run and its session, inside a <c>workflows.events process</c> consumer span that continues the publisher's trace.
/// </summary>
/// <remarks>
/// Pub/sub is at-most-once, so whenever publications may have been missed every local subscription re-syncs from its
/// stream (<see cref="SubscriptionResync"/>: it buffers live events, replays after the last id it sent, then goes live;
/// no gap, no duplicate). The re-sync starts before the first message that follows the loss is dispatched:
/// <list type="bullet">
/// <item>the event log numbers its publications (<see cref="PublishedWorkflowEvent.ChannelSequence"/>), so a message
/// whose number is not the next one re-syncs before it is dispatched (a dropped or re-established connection, a
/// restarted Redis), whatever the order in which the multiplexer reports its connection events;</item>
/// <item>when the multiplexer re-establishes the subscription connection (<see cref="IConnectionMultiplexer.ConnectionRestored"/>),
/// a PING on that connection confirms the re-subscription, then the listener re-syncs even if nothing is published
/// afterwards;</item>
/// <item>a SUBSCRIBE the server refused (an ACL without the channel) is retried by the listener itself with backoff,
/// and a successful one re-syncs;</item>
/// <item>a listener more than <see cref="MaxBacklog"/> messages behind drops its backlog and re-syncs (bounded memory).</item>
/// </list>
/// </remarks>
internal sealed class EventsListener(
    IConnectionMultiplexer redis,
    SubscriptionRouter router,
    SubscriptionResync resync,
    TimeProvider timeProvider,
    ILogger<EventsListener> logger) : BackgroundService
{
    /// <summary>Messages received and not yet dispatched beyond which the listener drops them and re-syncs from the streams.</summary>
    internal const int MaxBacklog = 10_000;

    /// <summary>How often the listener checks that its subscription is in place while no message arrives.</summary>
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private const long UnknownSequence = -1;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly RedisChannel Channel = RedisChannel.Literal(WorkflowStreams.EventsChannel);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<bool> _restored = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _hasQueue;
    private long _lastSequence = UnknownSequence;

    /// <summary>Whether live events flow now: this listener's subscription is confirmed on a connected subscription connection.</summary>
    public bool IsListening => _hasQueue && IsSubscribed(redis.GetSubscriber());

    /// <summary>Whether the pub/sub subscription was ever established (false only while the hub starts).</summary>
    public bool HasSubscribed => _subscribed.Task.IsCompleted;

    /// <summary>Completes once live events flow; a subscription registered after that misses none.</summary>
    public Task WaitUntilSubscribedAsync(CancellationToken cancellationToken) => _subscribed.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await SubscribeAndListenAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private async Task SubscribeAndListenAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            ChannelMessageQueue queue;
            try
            {
                queue = await subscriber.SubscribeAsync(Channel).WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The queue of a refused SUBSCRIBE stays registered in the multiplexer: remove it (this listener is the
                // channel's only reader in this process) so it does not collect messages nobody reads.
                await subscriber.UnsubscribeAsync(Channel).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                HubLog.ListenerSubscribeFailed(logger, e, WorkflowStreams.EventsChannel, backoff);
                await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }

            backoff = TimeSpan.FromMilliseconds(100);
            HubLog.ListenerSubscribed(logger, WorkflowStreams.EventsChannel);
            if (Interlocked.Read(ref _lastSequence) == UnknownSequence)
            {
                await ReadPublishedCountAsync().ConfigureAwait(false);
            }

            _hasQueue = true;
            if (!_subscribed.TrySetResult())
            {
                // Subscribed again after the server refused or lost the subscription: fill the gap.
                Resync(stoppingToken);
            }

            try
            {
                await ListenAsync(queue, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                _hasQueue = false;
                await queue.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Dispatches messages in order until the subscription is lost for good (the connection is up but the server
    /// does not have this subscription, e.g. it refused the multiplexer's re-subscription): then the caller
    /// subscribes again itself.
    /// </summary>
    private async Task ListenAsync(ChannelMessageQueue queue, CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        var missing = 0;
        Task<bool> restored = _restored.Reader.WaitToReadAsync(stoppingToken).AsTask();
        Task check = Task.Delay(CheckInterval, timeProvider, stoppingToken);
        while (true)
        {
            if (restored.IsCompleted)
            {
                if (_restored.Reader.TryRead(out _))
                {
                    Resync(stoppingToken);
                }

                stoppingToken.ThrowIfCancellationRequested();
                restored = _restored.Reader.WaitToReadAsync(stoppingToken).AsTask();
            }

            if (queue.TryGetCount(out var backlog) && backlog > MaxBacklog)
            {
                DropBacklog(queue, backlog, stoppingToken);
            }

            if (queue.TryRead(out var message))
            {
                Dispatch(message.Message, stoppingToken);
                continue;
            }

            var next = queue.ReadAsync(stoppingToken).AsTask();
            while (!next.IsCompleted)
            {
                await Task.WhenAny(next, restored, check).ConfigureAwait(false);
                if (restored.IsCompleted)
                {
                    if (_restored.Reader.TryRead(out _))
                    {
                        Resync(stoppingToken);
                    }

                    stoppingToken.ThrowIfCancellationRequested();
                    restored = _restored.Reader.WaitToReadAsync(stoppingToken).AsTask();
                }

                if (check.IsCompleted)
                {
                    stoppingToken.ThrowIfCancellationRequested();

                    // Two checks in a row with a live connection and no subscription: the multiplexer will not
                    // re-subscribe by itself (it only does on reconnect), so this listener does.
                    missing = redis.IsConnected && !IsSubscribed(subscriber) ? missing + 1 : 0;
                    if (missing >= 2 && !next.IsCompleted)
                    {
                        // The pending read ends when the caller unsubscribes the queue; the re-sync covers what it held.
                        _ = next.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                        return;
                    }

                    check = Task.Delay(CheckInterval, timeProvider, stoppingToken);
                }
            }

            ChannelMessage received;
            try
            {
                received = await next.ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return;
            }

            Dispatch(received.Message, stoppingToken);
        }
    }

    /// <summary>
    /// Whether the server confirmed this channel's subscription on a connected subscription connection
    /// (<see cref="ISubscriber.IsConnected"/> alone only says that the connection is up, and
    /// <see cref="ISubscriber.SubscribedEndpoint"/> alone that the last SUBSCRIBE was confirmed).
    /// </summary>
    private static bool IsSubscribed(ISubscriber subscriber) => subscriber.SubscribedEndpoint(Channel) is not null && subscriber.IsConnected(Channel);

    /// <summary>The multiplexer re-established a connection; for the subscription connection, re-sync once it is confirmed.</summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _ = ConfirmRestoredAsync();
        }
    }

    /// <summary>
    /// The multiplexer sends its re-subscriptions on the new connection before it raises the event, so a PING on
    /// that connection answers after them; then the listener re-syncs (on its own loop, before its next message).
    /// </summary>
    private async Task ConfirmRestoredAsync()
    {
        try
        {
            await redis.GetSubscriber().PingAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Lost again: the next restoration (or the next message's number) re-syncs.
            return;
        }

        _restored.Writer.TryWrite(true);
    }

    /// <summary>
    /// Starts the numbering check from the publications counted so far (read once the subscription is confirmed, so
    /// the first message received is numbered after it, or at it when published in between: then one spare re-sync).
    /// A counter that does not exist yet is 0: after a restart without data the first publication is 1.
    /// </summary>
    private async Task ReadPublishedCountAsync()
    {
        try
        {
            var count = await redis.GetDatabase().StringGetAsync(WorkflowStreams.EventsPublished).ConfigureAwait(false);
            Interlocked.CompareExchange(ref _lastSequence, count.IsNull ? 0 : (long)count, UnknownSequence);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Unknown until the first message: a loss before it is caught by the re-establishment's re-sync.
        }
    }

    private void Resync(CancellationToken stoppingToken)
    {
        HubLog.ListenerReestablished(logger, WorkflowStreams.EventsChannel, resync.ResyncAll(stoppingToken));
    }

    /// <summary>
    /// Drops the <paramref name="backlog"/> messages queued (the listener fell that far behind), then re-syncs every
    /// local subscription: the dropped events are in the streams, so the replay sends them and the id dedupe skips
    /// what was already sent.
    /// </summary>
    private void DropBacklog(ChannelMessageQueue queue, int backlog, CancellationToken stoppingToken)
    {
        var dropped = 0;
        while (dropped < backlog && queue.TryRead(out _))
        {
            dropped++;
        }

        Interlocked.Exchange(ref _lastSequence, UnknownSequence);
        HubLog.ListenerFellBehind(logger, WorkflowStreams.EventsChannel, dropped, resync.ResyncAll(stoppingToken));
    }

    /// <summary>Checks the message's number (re-syncing first when publications were missed), then routes it.</summary>
    private void Dispatch(RedisValue message, CancellationToken stoppingToken)
    {
        var published = WorkflowEventLog.ParsePublished(((ReadOnlyMemory<byte>)message).Span);
        if (published is { ChannelSequence: > 0 } numbered)
        {
            var last = Interlocked.Exchange(ref _lastSequence, numbered.ChannelSequence);
            if (last != UnknownSequence && numbered.ChannelSequence != last + 1)
            {
                HubLog.ListenerMissedPublications(logger, WorkflowStreams.EventsChannel, last, numbered.ChannelSequence, resync.ResyncAll(stoppingToken));
            }
        }

        Dispatch(published, message.IsNull ? 0 : (int)message.Length());
    }

    /// <summary>Routes one channel message; internal so the benchmark can measure it alone.</summary>
    internal int Dispatch(PublishedWorkflowEvent? message, int length)
    {
        var live = LiveEvent.From(message);
        if (live is null)
        {
            HubLog.UnreadableEvent(logger, WorkflowStreams.EventsChannel, length);
            return 0;
        }

        var published = live.Published;
        var (runSubscriptions, sessionSubscriptions) = router.Find(published.Event.RunId, published.SessionId);
        if (runSubscriptions.Length == 0 && sessionSubscriptions.Length == 0)
        {
            return 0;
        }

        var parent = MessageTraceContext.Extract(published.TraceParent, null).ActivityContext;
        using var activity = HubTelemetry.Source.StartActivity($"{WorkflowStreams.EventsChannel} process", ActivityKind.Consumer, parent);
        var recipients = SubscriptionRouter.Deliver(live, runSubscriptions, sessionSubscriptions);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "redis");
            activity.SetTag("messaging.destination.name", WorkflowStreams.EventsChannel);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.message.id", published.Event.EventId.ToString());
            activity.SetTag(HubTelemetry.RunIdAttribute, published.Event.RunId.ToString());
            activity.SetTag(HubTelemetry.RecipientsAttribute, recipients);
        }

        return recipients;
    }
}
