using Observability.WebSocketHub.Connections;
using Observability.WebSocketHub.Protocol;

namespace Observability.WebSocketHub.Subscriptions;

/// <summary>
/// One connection following one run or session. It is registered for live events before its replay starts and
/// buffers them until the replay is sent; from then on it forwards only events whose id in its stream is after the
/// last one it sent, so the client sees every event once, in stream order.
/// </summary>
internal sealed class Subscription(HubConnection connection, SubscriptionKey key, int maxBuffered)
{
    private readonly Lock _gate = new();
    private List<(StreamId Id, ReadOnlyMemory<byte> Frame)>? _buffer = [];
    private StreamId _lastSent = StreamId.Zero;
    private bool _closed;

    public HubConnection Connection { get; } = connection;

    public SubscriptionKey Key { get; } = key;

    /// <summary>Forwards (or, during the replay, buffers) a live event. False when the subscription has ended.</summary>
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

    /// <summary>
    /// Ends the replay: <paramref name="lastReplayed"/> is the id of the last entry the replay sent (or the client's
    /// last event id). Sends the <c>subscribed</c> frame, then the buffered live events the replay did not cover.
    /// </summary>
    public void GoLive(StreamId lastReplayed, ReadOnlyMemory<byte> subscribedFrame)
    {
        lock (_gate)
        {
            if (_closed || _buffer is null)
            {
                return;
            }

            _lastSent = lastReplayed;
            var buffered = _buffer;
            _buffer = null;
            if (!Connection.TryEnqueue(subscribedFrame))
            {
                _closed = true;
                return;
            }

            foreach (var (id, frame) in buffered)
            {
                if (!Forward(id, frame))
                {
                    return;
                }
            }
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
        if (id <= _lastSent)
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
