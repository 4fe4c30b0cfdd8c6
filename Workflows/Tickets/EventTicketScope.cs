namespace Observability.Workflows.Tickets;

/// <summary>What an <see cref="EventTicket"/> lets its holder subscribe to.</summary>
public enum EventTicketScope
{
    /// <summary>The events of one run (<see cref="EventTicket.Subject"/> is the run id, "N" format).</summary>
    Run,

    /// <summary>The events of every run of one session (<see cref="EventTicket.Subject"/> is the session id).</summary>
    Session,
}
