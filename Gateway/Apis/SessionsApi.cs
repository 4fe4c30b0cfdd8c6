using Microsoft.AspNetCore.Http.HttpResults;
using Observability.Gateway.RateLimiting;
using Observability.Gateway.Tickets;

namespace Observability.Gateway.Apis;

/// <summary><c>/api/sessions</c>: tickets to follow every run of a session on the WebSocketHub.</summary>
internal static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sessions")
            .RequireRateLimiting(GatewayRateLimiting.PolicyName)
            .WithTags("Sessions")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/{sessionId}/events-ticket", IssueEventsTicket)
            .WithName("IssueSessionEventsTicket")
            .WithSummary("A short-lived ticket to subscribe to the events of every run of the session at eventsUrl.");
        return api;
    }

    public static Results<Ok<SessionEventsTicket>, ValidationProblem> IssueEventsTicket(
        string sessionId,
        WorkflowLinks links,
        EventTicketIssuer tickets)
    {
        if (SubmitWorkflowValidator.CheckName(nameof(sessionId), sessionId, allowSlash: false) is { } error)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(sessionId)] = [error] });
        }

        var ticket = tickets.ForSession(sessionId);
        return TypedResults.Ok(new SessionEventsTicket(sessionId, links.Events(), ticket.Ticket, ticket.ExpiresAt));
    }
}
