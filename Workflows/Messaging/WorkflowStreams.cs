namespace Observability.Workflows.Messaging;

/// <summary>
/// Names shared by the Gateway (producer), the Worker (consumer, event publisher) and the WebSocketHub (event reader)
/// for the Redis streams and channel of the workflow platform. Redis is the transport; PostgreSQL is the truth.
/// </summary>
public static class WorkflowStreams
{
    /// <summary>Jobs for workers: one entry per run to execute (see the <c>*Field</c> names).</summary>
    public const string Jobs = "workflows.jobs";

    /// <summary>The consumer group every worker joins on <see cref="Jobs"/>.</summary>
    public const string WorkersGroup = "workers";

    /// <summary>Jobs given up after too many deliveries, with the reason (the run is marked DeadLettered too).</summary>
    public const string DeadLetters = "workflows.jobs.dead";

    /// <summary>Field of a job entry holding the <see cref="WorkflowJobMessage"/> as JSON (<see cref="WorkflowsJsonContext"/>).</summary>
    public const string MessageField = "message";

    /// <summary>Field of a job entry holding the producer's W3C <c>traceparent</c>, for consumers to continue the trace.</summary>
    public const string TraceParentField = "traceparent";

    /// <summary>Field of a job entry holding the producer's W3C <c>baggage</c> (carries <c>correlation.id</c>).</summary>
    public const string BaggageField = "baggage";

    /// <summary>Field of an event entry holding the <see cref="WorkflowEvent"/> as JSON.</summary>
    public const string EventField = "event";

    /// <summary>Field of an event entry holding the run's session id (so a run stream's replay can name the session).</summary>
    public const string SessionField = "session";

    /// <summary>The pub/sub channel on which every event is also published, for live delivery.</summary>
    public const string EventsChannel = "workflows.events";

    /// <summary>
    /// The counter the event log raises with every publication on <see cref="EventsChannel"/> (in the same script), so
    /// that a subscriber sees from the numbers alone when it missed publications (a dropped or re-established
    /// subscription, a restarted server).
    /// </summary>
    public const string EventsPublished = "workflows.events.published";

    /// <summary>
    /// The key a worker executing the run keeps alive (<c>SET … PX ClaimIdleTime</c>, refreshed every maintenance
    /// interval, value: the consumer's name): after Redis lost its pending lists, a Running run without it has no live
    /// owner and is re-enqueued from PostgreSQL.
    /// </summary>
    public static string RunOwner(Guid runId) => $"workflows.runs.{runId:N}.owner";

    /// <summary>
    /// The <c>run_id</c> of the Redis server (<c>INFO server</c>) whose data was last reconciled with PostgreSQL: a
    /// server that does not hold its own <c>run_id</c> here restarted (or was emptied) since, and may have lost
    /// acknowledged job entries.
    /// </summary>
    public const string ReconciledServer = "workflows.redis.reconciled";

    /// <summary>The bounded stream of one run's events, kept for replay after a reconnect.</summary>
    public static string Events(Guid runId) => $"workflows.events.{runId:N}";

    /// <summary>The bounded stream of every event of a session's runs, kept for replay after a reconnect.</summary>
    public static string SessionEvents(string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return $"workflows.sessions.{sessionId}.events";
    }

    /// <summary>Entries kept per run stream (<c>XADD MAXLEN ~</c>).</summary>
    public const long MaxEventsPerRun = 1_000;

    /// <summary>Entries kept per session stream (<c>XADD MAXLEN ~</c>).</summary>
    public const long MaxEventsPerSession = 10_000;

    /// <summary>How long a run or session stream outlives its last event (<c>PEXPIRE</c>), so idle streams go away.</summary>
    public static readonly TimeSpan EventsRetention = TimeSpan.FromHours(24);
}
