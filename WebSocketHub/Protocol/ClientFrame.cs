namespace Observability.WebSocketHub.Protocol;

/// <summary>A frame a client sends: <c>subscribe</c> or <c>unsubscribe</c> to a run or a session.</summary>
internal sealed class ClientFrame
{
    public string? Type { get; set; }

    public Guid? RunId { get; set; }

    public string? SessionId { get; set; }

    public string? Ticket { get; set; }

    public string? LastEventId { get; set; }
}
