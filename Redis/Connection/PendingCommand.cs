using Observability.Redis.Protocol;

namespace Observability.Redis.Connection;

/// <summary>
/// A command written to a connection and waiting for its reply. The connection's queue and the caller each hold it
/// once; whichever lets go last returns it to the pool, so a reply arriving after a timeout never reaches a reused
/// command.
/// </summary>
internal abstract class PendingCommand
{
    /// <summary>When the command times out, as a <see cref="TimeProvider"/> timestamp; <see cref="long.MaxValue"/> for never.</summary>
    public long Deadline { get; protected set; }

    public abstract string Name { get; }

    public abstract bool IsCompleted { get; }

    /// <summary>Completes with the reply; error replies become <see cref="RedisServerException"/>.</summary>
    public abstract void Complete(in RespFrame frame, RespLimits limits);

    /// <summary>Fails the command unless it has completed already.</summary>
    public abstract bool TryFail(Exception error);

    /// <summary>The connection's queue lets go of the command (after its reply or the connection's end).</summary>
    public abstract void ReleaseFromQueue();
}
