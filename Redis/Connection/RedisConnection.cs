using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Observability.Redis.Configuration;
using Observability.Redis.Protocol;
using Observability.Redis.Telemetry;

namespace Observability.Redis.Connection;

/// <summary>
/// One TCP (or TLS) connection. Many callers write through it at once: each command's bytes and its place in the
/// reply queue are taken under one short lock, a single send loop batches whatever piled up into socket writes, and
/// the receive loop matches replies to commands in order. When it breaks, every waiting command fails at once.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lock _writeLock = new();
    private readonly ConcurrentQueue<PendingCommand> _pending = new();
    private readonly Pipe _sendPipe = new(new PipeOptions(
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        minimumSegmentSize: 16 * 1024,
        useSynchronizationContext: false));

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly RespLimits _limits;
    private readonly bool _isSubscriber;
    private readonly RedisInstrumentation? _instrumentation;
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;
    private int _closing;

    private RedisConnection(Socket socket, Stream stream, RespLimits limits, bool isSubscriber, RedisInstrumentation? instrumentation)
    {
        _socket = socket;
        _stream = stream;
        _limits = limits;
        _isSubscriber = isSubscriber;
        _instrumentation = instrumentation;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
    }

    /// <summary>Completes with the reason once the connection has ended (dropped, broken or disposed).</summary>
    public Task<Exception> Closed => _closed.Task;

    public bool IsOpen => Volatile.Read(ref _closing) == 0;

    /// <summary>The server's <c>CLIENT ID</c> of this connection when it was asked for (blocking connections), else 0.</summary>
    public long ClientId { get; set; }

    public int PendingCount => _pending.Count;

    /// <summary>Out-of-band frames: RESP3 pushes and, on a subscriber connection, pub/sub messages.</summary>
    public PushHandler? OnPush { get; set; }

    /// <summary>Opens a connection and runs the handshake (HELLO/AUTH, CLIENT SETNAME, SELECT).</summary>
    public static async Task<RedisConnection> ConnectAsync(RedisClientOptions options, bool isSubscriber, RedisInstrumentation? instrumentation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        RedisConnection? connection = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = options.SslHost ?? options.Host,
                        RemoteCertificateValidationCallback = options.CertificateValidation,
                    },
                    timeout.Token).ConfigureAwait(false);
            }

            var limits = RespLimits.Default with { MaxBulkLength = options.MaxBulkLength };
            connection = new RedisConnection(socket, stream, limits, isSubscriber, instrumentation);
            connection.Start();
            await RedisHandshake.RunAsync(connection, options, timeout.Token).ConfigureAwait(false);
            if (instrumentation is not null)
            {
                instrumentation.ConnectionOpened();
                _ = connection.Closed.ContinueWith(
                    static (_, state) => ((RedisInstrumentation)state!).ConnectionClosed(),
                    instrumentation,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            return connection;
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new RedisConnectionException($"Could not connect to Redis at {options.Host}:{options.Port} within {options.ConnectTimeout}.", e);
            }

            if (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
            {
                throw new RedisConnectionException($"Could not connect to Redis at {options.Host}:{options.Port}: {e.Message}", e);
            }

            throw;
        }
    }

    /// <summary>
    /// Writes a command and queues it for its reply. Never blocks on the network; if the connection has ended the
    /// command fails at once.
    /// </summary>
    public void Send(ReadOnlySpan<byte> command, PendingCommand pending)
    {
        lock (_writeLock)
        {
            if (_closing == 0)
            {
                _pending.Enqueue(pending);
                _instrumentation?.CommandSent();
                _sendPipe.Writer.Write(command);
                var flush = _sendPipe.Writer.FlushAsync();
                if (flush.IsCompleted)
                {
                    flush.GetAwaiter().GetResult();
                }

                return;
            }
        }

        pending.TryFail(new RedisConnectionException("The Redis connection is closed."));
        pending.ReleaseFromQueue();
    }

    /// <summary>Writes a command built by <paramref name="command"/> and returns the task of its reply.</summary>
    public ValueTask<T> SendAsync<T>(scoped in CommandBuilder command, IReplyParser<T> parser, long deadline, CancellationToken cancellationToken, bool instrument = false)
    {
        var pending = PendingCommand<T>.Rent(command.Name, parser, deadline, instrument ? _instrumentation : null, cancellationToken);
        var task = pending.Task;
        Send(command.Written, pending);
        return task;
    }

    /// <summary>Builds and sends a command from plain arguments (handshakes, pub/sub; not the hot path).</summary>
    public ValueTask<T> SendAsync<T>(IReplyParser<T> parser, string name, ReadOnlySpan<RedisValue> arguments, CancellationToken cancellationToken)
    {
        var command = new CommandBuilder(name, arguments.Length);
        try
        {
            foreach (var argument in arguments)
            {
                command.Add(argument);
            }

            return SendAsync(command, parser, long.MaxValue, cancellationToken);
        }
        finally
        {
            command.Dispose();
        }
    }

    /// <summary>Fails the commands whose deadline (a <see cref="TimeProvider"/> timestamp) has passed.</summary>
    public void FailExpired(long now, TimeSpan timeout)
    {
        foreach (var pending in _pending)
        {
            if (pending.Deadline <= now && !pending.IsCompleted)
            {
                pending.TryFail(new RedisTimeoutException($"Redis did not answer {pending.Name} within {timeout.TotalMilliseconds:0} ms."));
            }
        }
    }

    /// <summary>Ends the connection; waiting commands fail with <paramref name="reason"/>.</summary>
    public void Abort(Exception reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        lock (_writeLock)
        {
            _sendPipe.Writer.Complete();
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        FailPending(reason);
        _closed.TrySetResult(reason);
    }

    public async ValueTask DisposeAsync()
    {
        Abort(new RedisConnectionException("The Redis connection was closed by the client."));
        try
        {
            await Task.WhenAll(_receiveLoop, _sendLoop).ConfigureAwait(false);
        }
        finally
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Start()
    {
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    private void FailPending(Exception reason)
    {
        while (_pending.TryDequeue(out var pending))
        {
            _instrumentation?.ReplyReceived();
            pending.TryFail(reason);
            pending.ReleaseFromQueue();
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _sendPipe.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _stream.WriteAsync(segment).ConfigureAwait(false);
                }

                if (_stream is SslStream)
                {
                    await _stream.FlushAsync().ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Abort(new RedisConnectionException($"Writing to Redis failed: {e.Message}", e));
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception reason;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (RespScanner.TryRead(buffer, _limits, out var frame))
                {
                    Dispatch(frame);
                    buffer = buffer.Slice(frame.Data.End);
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    reason = new RedisConnectionException("Redis closed the connection.");
                    break;
                }
            }
        }
        catch (RedisProtocolException e)
        {
            reason = new RedisConnectionException($"Redis sent an invalid reply; the connection was dropped: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            reason = new RedisConnectionException($"The Redis connection dropped: {e.Message}", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the commands waiting on this connection must fail rather than hang.
            reason = new RedisConnectionException($"The Redis connection failed: {e.Message}", e);
        }

        Abort(reason);
        await _input.CompleteAsync().ConfigureAwait(false);
    }

    private void Dispatch(in RespFrame frame)
    {
        if (frame.Prefix == RespPrefix.Push || (_isSubscriber && frame.Prefix == RespPrefix.Array))
        {
            if (!_isSubscriber || IsMessage(frame))
            {
                OnPush?.Invoke(frame);
                return;
            }
        }

        if (!_pending.TryDequeue(out var pending))
        {
            throw new RedisProtocolException($"Redis sent a reply of type '{(char)frame.Prefix}' that no command asked for.");
        }

        _instrumentation?.ReplyReceived();
        pending.Complete(frame, _limits);
        pending.ReleaseFromQueue();
    }

    /// <summary>True for pub/sub deliveries (<c>message</c>, <c>pmessage</c>, <c>smessage</c>) as opposed to confirmations.</summary>
    private bool IsMessage(in RespFrame frame)
    {
        var reader = new SequenceReader<byte>(frame.Data);
        if (!RespScanner.TryReadHeader(ref reader, 0, _limits, out _, out var count, out _) || count < 1
            || !RespScanner.TryReadHeader(ref reader, 1, _limits, out _, out _, out var kind))
        {
            return false;
        }

        Span<byte> scratch = stackalloc byte[16];
        if (kind.Length > scratch.Length)
        {
            return false;
        }

        kind.CopyTo(scratch);
        var span = scratch[..(int)kind.Length];
        return span.SequenceEqual("message"u8) || span.SequenceEqual("pmessage"u8) || span.SequenceEqual("smessage"u8);
    }
}
