using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks.Sources;
using Observability.Redis.Protocol;
using Observability.Redis.Telemetry;

namespace Observability.Redis.Connection;

/// <summary>A pooled, awaitable command whose reply is parsed into <typeparamref name="T"/>.</summary>
internal sealed class PendingCommand<T> : PendingCommand, IValueTaskSource<T>
{
    private const int MaxPooled = 4096;
    private static readonly ConcurrentQueue<PendingCommand<T>> Pool = new();
    private static int _pooled;

    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };
    private IReplyParser<T> _parser = null!;
    private RedisInstrumentation? _instrumentation;
    private Activity? _activity;
    private string _name = "";
    private long _startTimestamp;
    private int _completed;
    private int _owners;
    private bool _poolable;
    private CancellationTokenRegistration _registration;

    private PendingCommand()
    {
    }

    public override string Name => _name;

    public override bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public ValueTask<T> Task => new(this, _core.Version);

    public static PendingCommand<T> Rent(string name, IReplyParser<T> parser, long deadline, RedisInstrumentation? instrumentation, CancellationToken cancellationToken)
    {
        if (!Pool.TryDequeue(out var command))
        {
            command = new PendingCommand<T>();
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }

        command._name = name;
        command._parser = parser;
        command.Deadline = deadline;
        command._owners = 2;
        command._completed = 0;
        command._instrumentation = instrumentation;
        command._startTimestamp = Stopwatch.GetTimestamp();
        command._activity = instrumentation?.StartActivity(name);
        command._poolable = !cancellationToken.CanBeCanceled;
        if (cancellationToken.CanBeCanceled)
        {
            command._registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingCommand<T>)state!).TryFail(new OperationCanceledException(token)),
                command);
        }

        return command;
    }

    public override void Complete(in RespFrame frame, RespLimits limits)
    {
        if (IsCompleted)
        {
            return;
        }

        T result;
        try
        {
            if (frame.IsError)
            {
                TryFail(new RedisServerException(Encoding.UTF8.GetString(frame.Payload)));
                return;
            }

            result = _parser.Parse(frame, limits);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A reply of an unexpected shape fails this command only; the connection stays usable.
            TryFail(e);
            return;
        }

        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            Finish(null);
            _core.SetResult(result);
        }
    }

    public override bool TryFail(Exception error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        Finish(error);
        _core.SetException(error);
        return true;
    }

    public override void ReleaseFromQueue() => Release();

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Finish(Exception? error)
    {
        _registration.Unregister();
        _instrumentation?.CommandCompleted(_name, _startTimestamp, error, _activity);
        _activity = null;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0 || !_poolable)
        {
            return;
        }

        _core.Reset();
        _parser = null!;
        _instrumentation = null;
        _registration = default;
        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}
