namespace Observability.Workflows.Outbox;

/// <summary>
/// A message written in the same transaction as the state change it announces (table <c>outbox_messages</c>);
/// a relay publishes it to <see cref="Stream"/> and deletes it in the transaction that claimed it, so the table holds
/// only messages not yet published.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>The stream (queue) the payload goes to.</summary>
    public required string Stream { get; set; }

    /// <summary>The message, as JSON (jsonb).</summary>
    public required string Payload { get; set; }

    /// <summary>The W3C <c>traceparent</c> the consumer continues.</summary>
    public string? TraceParent { get; set; }

    /// <summary>The W3C <c>baggage</c> carried along.</summary>
    public string? Baggage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>How many publishes of this message failed.</summary>
    public int Attempts { get; set; }
}
