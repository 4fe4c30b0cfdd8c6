namespace Observability.Workflows.Messaging;

/// <summary>
/// What <see cref="WorkflowStreams.EventsChannel"/> carries for each event (JSON, <see cref="WorkflowsJsonContext"/>):
/// the event, the ids of its entries in the run stream and the session stream (a subscriber's "last event id", in
/// the id space of the stream it replays from), its session, and the W3C <c>traceparent</c> of the span that
/// published it so that a deliverer continues the run's trace.
/// </summary>
public sealed record PublishedWorkflowEvent(
    string RunStreamId,
    string SessionStreamId,
    string SessionId,
    string? TraceParent,
    WorkflowEvent Event)
{
    /// <summary>
    /// The publication's number on the channel (<see cref="WorkflowStreams.EventsPublished"/>, one more for each
    /// publication): a subscriber that sees it jump missed publications (0 when the message carries none).
    /// </summary>
    public long ChannelSequence { get; init; }
}
