using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Protocol;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// One connection following one run or session. It is registered for live events before its replay starts and
/// buffers them until the replay is sent; from then on it forwards only events whose id in its stream is after the
/// last one it sent, so the client sees every event once, in stream order.
/// </summary>
/// <remarks>
/// When live events may have been lost (this instance's pub/sub subscription was re-established after a drop),
/// <see cref="Resync"/> puts a live subscription back into buffering, and a new replay from the last id it sent
/// fills the gap before the buffered events go out. A re-sync asked while a replay runs makes that replay read once
/// more before it goes live, as its reads may predate the re-established subscription.
/// </remarks>
internal sealed class Subscription(HubConnection connection, SubscriptionKey key, StreamId? lastEventId, int maxBuffered)
{
    private readonly Lock _gate = new();
    private List<(StreamId Id, ReadOnlyMemory<byte> Frame)>? _buffer = [];
    private StreamId? _lastSent = lastEventId;
    private bool _replayAgain;
    private bool _closed;
    private TimeSpan? _recheckAfter;

    public HubConnection Connection { get; } = connection;

    public SubscriptionKey Key { get; } = key;

    /// <summary>Where the running replay continues: after the last id sent (null: from the start of the stream).</summary>
    public StreamId? ReplayFrom
    {
        get
        {
            lock (_gate)
            {
                return _lastSent;
            }
        }
    }

    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>Forwards (or, during a replay, buffers) a live event. False when the subscription has ended.</summary>
    public bool Deliver(LiveEvent live)
    {
        var id = Key.IsRun ? live.RunStreamId : live.SessionStreamId;
        var frame = Key.IsRun ? live.RunFrame : live.SessionFrame;
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            if (_buffer is not null)
            {
                if (_buffer.Count >= maxBuffered)
                {
                    _closed = true;
                    Connection.CloseSlowConsumer();
                    return false;
                }

                _buffer.Add((id, frame));
                return true;
            }

            return Forward(id, frame);
        }
    }

    /// <summary>Queues a frame (a <c>truncated</c> frame, or a replayed event with its <paramref name="id"/>) of the running replay; false when the subscription has ended.</summary>
    public bool SendReplayed(StreamId? id, ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            if (!Connection.TryEnqueue(frame))
            {
                _closed = true;
                return false;
            }

            _lastSent = id ?? _lastSent;
            return true;
        }
    }

    /// <summary>
    /// Ends a replay pass: false when a re-sync was asked meanwhile (replay again from <see cref="ReplayFrom"/>).
    /// Otherwise sends <paramref name="subscribedFrame"/> (when given), then the buffered live events the replay did
    /// not cover, and forwards live events from now on.
    /// </summary>
    public bool TryGoLive(ReadOnlyMemory<byte>? subscribedFrame)
    {
        lock (_gate)
        {
            if (_closed || _buffer is null)
            {
                return true;
            }

            if (_replayAgain)
            {
                _replayAgain = false;
                return false;
            }

            var buffered = _buffer;
            _buffer = null;
            if (subscribedFrame is { } subscribed && !Connection.TryEnqueue(subscribed))
            {
                _closed = true;
                return true;
            }

            foreach (var (id, frame) in buffered)
            {
                if (!Forward(id, frame))
                {
                    break;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Live events may have been lost: buffers them again. True when the caller must now replay from
    /// <see cref="ReplayFrom"/> and then <see cref="TryGoLive"/>; false when the subscription has ended or a replay is
    /// already running (it will read once more before going live).
    /// </summary>
    public bool Resync()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            if (_buffer is not null)
            {
                _replayAgain = true;
                return false;
            }

            _buffer = [];
            return true;
        }
    }

    /// <summary>
    /// Asks for another replay pass after <paramref name="delay"/> (the replay suspected a loss too recent to tell from
    /// an event still on its way); the longest delay asked wins.
    /// </summary>
    public void RequestRecheck(TimeSpan delay)
    {
        lock (_gate)
        {
            _recheckAfter = _recheckAfter is { } asked && asked > delay ? asked : delay;
        }
    }

    /// <summary>The delay a replay asked for with <see cref="RequestRecheck"/> (cleared), or null.</summary>
    public TimeSpan? TakeRecheck()
    {
        lock (_gate)
        {
            var delay = _recheckAfter;
            _recheckAfter = null;
            return delay;
        }
    }

    /// <summary>Stops forwarding (unsubscribe or connection end).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _buffer = null;
        }
    }

    private bool Forward(StreamId id, ReadOnlyMemory<byte> frame)
    {
        if (_lastSent is { } lastSent && id <= lastSent)
        {
            return true;
        }

        _lastSent = id;
        if (Connection.TryEnqueue(frame))
        {
            return true;
        }

        _closed = true;
        return false;
    }
}
