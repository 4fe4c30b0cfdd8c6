using Observability.Workflows.Messaging;

namespace Observability.LoadTest;

/// <summary>
/// What one client saw of one run: when it was due, when the Gateway accepted it, which event numbers arrived (to count
/// duplicates, gaps and reordering) and when its terminal event arrived. Written by the client's one receive loop only.
/// </summary>
internal sealed class RunRecord(Guid runId, string ticket, long dueTimestamp, long acceptedTimestamp, bool inWarmup)
{
    private HashSet<long>? _beyondMask;
    private ulong _seen;

    public Guid RunId => runId;

    /// <summary>The run's event ticket from the submit's answer, to subscribe with (again).</summary>
    public string Ticket => ticket;

    /// <summary>The stream entry id of the last event frame received (null before the first): <c>lastEventId</c> when subscribing again.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>Times the hub answered a subscribe with <c>unavailable</c> and the client subscribed again.</summary>
    public int Resubscribed { get; set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp at which the open-model schedule said to submit it.</summary>
    public long DueTimestamp => dueTimestamp;

    /// <summary>Timestamp of the Gateway's 202.</summary>
    public long AcceptedTimestamp => acceptedTimestamp;

    /// <summary>Submitted during the warm-up: counted for losses, left out of latency and throughput.</summary>
    public bool InWarmup => inWarmup;

    /// <summary>Event frames received, duplicates included.</summary>
    public int Received { get; private set; }

    /// <summary>Distinct event numbers received.</summary>
    public int Distinct { get; private set; }

    /// <summary>Frames whose event number had already arrived.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Frames whose event number is below one received earlier.</summary>
    public int OutOfOrder { get; private set; }

    /// <summary>The highest event number received.</summary>
    public long HighestSequence { get; private set; }

    /// <summary>Completed, Failed or Cancelled once its terminal event arrived; null until then.</summary>
    public WorkflowEventType? Outcome { get; private set; }

    /// <summary>Timestamp of the terminal event's arrival (0 until then).</summary>
    public long FinishedTimestamp { get; private set; }

    /// <summary>Records one <c>event</c> frame; returns true when it is the run's terminal event (the first time).</summary>
    public bool Receive(string? id, long sequence, WorkflowEventType type, long now)
    {
        Received++;
        LastEventId = id ?? LastEventId;
        if (!MarkSeen(sequence))
        {
            Duplicates++;
            return false;
        }

        Distinct++;
        if (sequence < HighestSequence)
        {
            OutOfOrder++;
        }

        HighestSequence = Math.Max(HighestSequence, sequence);
        if (Outcome is null && type is WorkflowEventType.Completed or WorkflowEventType.Failed or WorkflowEventType.Cancelled)
        {
            Outcome = type;
            FinishedTimestamp = now;
            return true;
        }

        return false;
    }

    /// <summary>Marks <paramref name="sequence"/> seen; false when it already was.</summary>
    private bool MarkSeen(long sequence)
    {
        if (sequence is >= 1 and <= 64)
        {
            var bit = 1UL << (int)(sequence - 1);
            if ((_seen & bit) != 0)
            {
                return false;
            }

            _seen |= bit;
            return true;
        }

        _beyondMask ??= [];
        return _beyondMask.Add(sequence);
    }
}
