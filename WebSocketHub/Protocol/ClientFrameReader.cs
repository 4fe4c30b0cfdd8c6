using System.Text.Json;
using Observability.Workflows.Tickets;

namespace Observability.WebSocketHub.Protocol;

/// <summary>
/// Reads and checks a client frame. A frame that is not valid becomes an <see cref="ErrorFrame"/> naming the field
/// at fault (<c>type</c>, <c>runId</c>, <c>sessionId</c>, <c>lastEventId</c>...).
/// </summary>
internal static class ClientFrameReader
{
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const int MaxSessionIdLength = 200;

    public static ClientFrame? Read(ReadOnlySpan<byte> utf8, out ErrorFrame? error)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(utf8, HubJsonContext.Default.ClientFrame);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            error = new ErrorFrame(ErrorCodes.BadRequest, field is null ? "The frame is not a valid JSON object." : $"The field '{field}' has the wrong type or format.", field);
            return null;
        }

        error = Check(frame);
        return error is null ? frame : null;
    }

    private static ErrorFrame? Check(ClientFrame? frame)
    {
        if (frame is null)
        {
            return new ErrorFrame(ErrorCodes.BadRequest, "The frame must be a JSON object.", null);
        }

        if (frame.Type is not (Subscribe or Unsubscribe))
        {
            return new ErrorFrame(ErrorCodes.BadRequest, frame.Type is null ? "The field 'type' is required." : $"Unknown type '{frame.Type}': expected 'subscribe' or 'unsubscribe'.", "type");
        }

        if (frame.RunId is null && frame.SessionId is null)
        {
            return new ErrorFrame(ErrorCodes.BadRequest, "Either 'runId' or 'sessionId' is required.", "runId");
        }

        if (frame.RunId is not null && frame.SessionId is not null)
        {
            return new ErrorFrame(ErrorCodes.BadRequest, "Give either 'runId' or 'sessionId', not both.", "sessionId");
        }

        if (frame.RunId == Guid.Empty)
        {
            return new ErrorFrame(ErrorCodes.BadRequest, "The field 'runId' must not be the empty GUID.", "runId");
        }

        if (frame.SessionId is { } sessionId && (sessionId.Length == 0 || sessionId.Length > MaxSessionIdLength))
        {
            return new ErrorFrame(ErrorCodes.BadRequest, $"The field 'sessionId' must have 1 to {MaxSessionIdLength} characters.", "sessionId");
        }

        // No session id the Gateway accepts (and so no ticket) holds a control character or a surrogate (its ids are
        // ASCII); refuse them here rather than as a ticket mismatch.
        if (frame.SessionId is { } session && HasControlOrSurrogate(session))
        {
            return new ErrorFrame(ErrorCodes.BadRequest, "The field 'sessionId' must not contain control characters or surrogates.", "sessionId");
        }

        if (frame.Type == Subscribe)
        {
            if (frame.LastEventId is { } lastEventId && !StreamId.TryParse(lastEventId, out _))
            {
                return new ErrorFrame(ErrorCodes.BadRequest, "The field 'lastEventId' must be a stream id such as 1700000000000-0.", "lastEventId");
            }

            if (frame.Ticket is { Length: > EventTicketSigner.MaxTicketLength })
            {
                return new ErrorFrame(ErrorCodes.TicketInvalid, "The ticket is too long.", "ticket");
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="text"/> holds a control character (C0, DEL, C1) or a UTF-16 surrogate.</summary>
    private static bool HasControlOrSurrogate(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('\u0000', '\u001f') || text.ContainsAnyInRange('\u007f', '\u009f') || text.ContainsAnyInRange('\ud800', '\udfff');

    /// <summary>The top-level property of a JSON path such as <c>$.runId</c>, or null for the document itself.</summary>
    private static string? FieldOf(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path.AsSpan(2);
        var end = rest.IndexOfAny('.', '[');
        var field = (end < 0 ? rest : rest[..end]).ToString();
        return field.Length == 0 ? null : field;
    }
}
