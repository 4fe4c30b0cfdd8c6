using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Protocol;
using Observability.WebSocketHub.Subscriptions;
using Observability.WebSocketHub.Telemetry;

namespace Observability.WebSocketHub.Connections;

/// <summary>
/// One client WebSocket: a receive loop that reads and answers client frames, and one bounded outgoing queue drained
/// by one send loop (the only writer to the socket). A client that lets the queue pass
/// <see cref="WebSocketHubOptions.MaxQueuedMessages"/> is closed with 4000 instead of growing memory.
/// </summary>
internal sealed class HubConnection : IDisposable
{
    /// <summary>Close status for a consumer too slow to keep up.</summary>
    public const WebSocketCloseStatus SlowConsumerStatus = (WebSocketCloseStatus)4000;

    private readonly WebSocket _socket;
    private readonly WebSocketHubOptions _options;
    private readonly SubscriptionService _subscriptions;
    private readonly HubTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly int _replayHighWater;
    private readonly CancellationTokenSource _sendTimeout = new();
    private readonly CancellationTokenSource _receiveAbort = new();
    private TaskCompletionSource? _roomWaiter;
    private int _closing; // 0 while open, then 1 + the DisconnectReason
    private volatile bool _discardQueued;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = "";
    private int _errors;

    public HubConnection(string id, WebSocket socket, WebSocketHubOptions options, SubscriptionService subscriptions, HubTelemetry telemetry, TimeProvider timeProvider, ILogger logger)
    {
        Id = id;
        _socket = socket;
        _options = options;
        _subscriptions = subscriptions;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _logger = logger;
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(options.MaxQueuedMessages)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _replayHighWater = Math.Max(1, options.MaxQueuedMessages / 2);
    }

    public string Id { get; }

    /// <summary>This connection's subscriptions; touched only by its receive loop (and after it ends).</summary>
    public Dictionary<SubscriptionKey, Subscription> Subscriptions { get; } = [];

    /// <summary>Whether the hub has started closing this connection, and why.</summary>
    public DisconnectReason? ClosingReason => Volatile.Read(ref _closing) is var closing and > 0 ? (DisconnectReason)(closing - 1) : null;

    /// <summary>Queues a frame for the send loop without waiting; false when the queue is full (then the connection closes as slow) or closing.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        if (_queue.Writer.TryWrite(frame))
        {
            return true;
        }

        CloseSlowConsumer();
        return false;
    }

    /// <summary>
    /// Waits while the queue is more than half full, so that a long replay never crowds out live events (the replay
    /// then queues its frame with <see cref="TryEnqueue"/>); false once the connection is closing. A client that does
    /// not read for <see cref="WebSocketHubOptions.SendTimeout"/> is a slow consumer.
    /// </summary>
    public async ValueTask<bool> WaitForReplayRoomAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.Count >= _replayHighWater && Volatile.Read(ref _closing) == 0)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _roomWaiter, waiter);
            if (_queue.Reader.Count < _replayHighWater)
            {
                break;
            }

            try
            {
                await waiter.Task.WaitAsync(_options.SendTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                CloseSlowConsumer();
                return false;
            }
        }

        return Volatile.Read(ref _closing) == 0;
    }

    public void CloseSlowConsumer()
    {
        if (RequestClose(DisconnectReason.SlowConsumer))
        {
            HubLog.SlowConsumer(_logger, Id, _options.MaxQueuedMessages);
        }
    }

    /// <summary>Runs the connection until it is closed; <paramref name="stopping"/> closes it with 1001.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var started = _timeProvider.GetTimestamp();
        _telemetry.ConnectionOpened();
        HubLog.ConnectionOpened(_logger, Id);
        var sending = Task.Run(SendLoopAsync, CancellationToken.None);
        try
        {
            using var heartbeat = _timeProvider.CreateTimer(static state => ((HubConnection)state!).SendHeartbeat(), this, _options.HeartbeatInterval, _options.HeartbeatInterval);
            using var stop = stopping.Register(static state => ((HubConnection)state!).RequestClose(DisconnectReason.GoingAway), this);
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            if (RequestClose(DisconnectReason.Error))
            {
                HubLog.ConnectionFailed(_logger, e, Id);
            }

            _socket.Abort();
        }
        finally
        {
            RequestClose(DisconnectReason.Normal);
            _subscriptions.UnsubscribeAll(this);
            await sending.ConfigureAwait(false);
            var duration = _timeProvider.GetElapsedTime(started);
            var reason = ClosingReason ?? DisconnectReason.Normal;
            _telemetry.ConnectionClosed(reason, duration);
            HubLog.ConnectionClosed(_logger, Id, reason, duration);
        }
    }

    public void Dispose()
    {
        _sendTimeout.Dispose();
        _receiveAbort.Dispose();
    }

    /// <summary>Starts closing (once; the first reason wins): stops queueing, and lets the send loop send the close frame.</summary>
    private bool RequestClose(DisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _closing, 1 + (int)reason, 0) != 0)
        {
            return false;
        }

        (_closeStatus, _closeDescription) = reason switch
        {
            DisconnectReason.SlowConsumer => (SlowConsumerStatus, "slow consumer"),
            DisconnectReason.MessageTooBig => (WebSocketCloseStatus.MessageTooBig, "message too big"),
            DisconnectReason.Policy => (WebSocketCloseStatus.PolicyViolation, "too many bad frames"),
            DisconnectReason.GoingAway => (WebSocketCloseStatus.EndpointUnavailable, "server shutting down"),
            _ => (WebSocketCloseStatus.NormalClosure, ""),
        };

        // Only a hub going away flushes what is queued; otherwise the client is not (or no longer) reading it.
        _discardQueued = reason != DisconnectReason.GoingAway;
        _queue.Writer.TryComplete();
        Interlocked.Exchange(ref _roomWaiter, null)?.TrySetResult();
        return true;
    }

    private void SendHeartbeat()
    {
        if (Volatile.Read(ref _closing) == 0)
        {
            TryEnqueue(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatFrame(_timeProvider.GetUtcNow()), HubJsonContext.Default.HeartbeatFrame));
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxMessageBytes);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == _options.MaxMessageBytes)
                    {
                        RequestClose(DisconnectReason.MessageTooBig);
                        await DrainUntilClosedAsync(buffer).ConfigureAwait(false);
                        return;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length, _options.MaxMessageBytes - length), _receiveAbort.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                _telemetry.Received(length);
                if (Volatile.Read(ref _closing) != 0)
                {
                    continue;
                }

                var error = result.MessageType == WebSocketMessageType.Text
                    ? await HandleAsync(buffer.AsMemory(0, length)).ConfigureAwait(false)
                    : new ErrorFrame(ErrorCodes.BadRequest, "Frames must be UTF-8 JSON text.", null);
                if (error is not null)
                {
                    HubLog.FrameRefused(_logger, Id, error.Code, error.Field);
                    TryEnqueue(JsonSerializer.SerializeToUtf8Bytes(error, HubJsonContext.Default.ErrorFrame));
                    // Only the client's own mistakes count towards the policy limit, not a Redis outage.
                    if (error.Code != ErrorCodes.Unavailable && ++_errors > _options.MaxProtocolErrors)
                    {
                        RequestClose(DisconnectReason.Policy);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<ErrorFrame?> HandleAsync(ReadOnlyMemory<byte> utf8)
    {
        if (ClientFrameReader.Read(utf8.Span, out var error) is not { } frame)
        {
            return error;
        }

        if (frame.Type == ClientFrameReader.Unsubscribe)
        {
            _subscriptions.Unsubscribe(this, new SubscriptionKey(frame.RunId, frame.SessionId));
            return null;
        }

        return await _subscriptions.SubscribeAsync(this, frame, _receiveAbort.Token).ConfigureAwait(false);
    }

    /// <summary>After the hub started closing: reads (and drops) what the client still sends until its close frame.</summary>
    private async Task DrainUntilClosedAsync(byte[] buffer)
    {
        while ((await _socket.ReceiveAsync(buffer.AsMemory(), _receiveAbort.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    if (_roomWaiter is not null && reader.Count < _replayHighWater)
                    {
                        Interlocked.Exchange(ref _roomWaiter, null)?.TrySetResult();
                    }

                    if (_discardQueued)
                    {
                        continue;
                    }

                    _sendTimeout.CancelAfter(_options.SendTimeout);
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _sendTimeout.Token).ConfigureAwait(false);
                    _sendTimeout.TryReset();
                    _telemetry.Sent(frame.Length);
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                _sendTimeout.CancelAfter(_options.CloseTimeout);
                await _socket.CloseOutputAsync(_closeStatus, _closeDescription, _sendTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            RequestClose(DisconnectReason.Error);
            _socket.Abort();
        }
        finally
        {
            // The client has CloseTimeout to answer our close frame; then the receive loop gives up.
            _receiveAbort.CancelAfter(_options.CloseTimeout);
        }
    }
}
