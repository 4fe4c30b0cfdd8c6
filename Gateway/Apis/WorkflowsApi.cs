using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Observability.Gateway.Caching;
using Observability.Gateway.Configuration;
using Observability.Gateway.Outbox;
using Observability.Gateway.RateLimiting;
using Observability.Gateway.Tickets;
using Observability.ServiceDefaults.Correlation;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Gateway.Apis;

/// <summary><c>/api/workflows</c>: submit a task, read a run, list a session's runs, cancel a run.</summary>
internal static class WorkflowsApi
{
    private const int DefaultPageSize = 20;
    private const int MaxAlertsShown = 100;

    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workflows")
            .RequireRateLimiting(GatewayRateLimiting.PolicyName)
            .WithTags("Workflows")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/", SubmitAsync)
            .WithName("SubmitWorkflow")
            .WithSummary("Queues a task as a workflow run; repeat with the same Idempotency-Key to get the same run.")
            .WithDescription("The answer carries the WebSocketHub address (eventsUrl) and a short-lived ticket (eventsTicket, valid until expiresAt) to send in a subscribe frame for this run.")
            .Accepts<SubmitWorkflowRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/", ListAsync)
            .WithName("ListWorkflows")
            .WithSummary("A page of a session's runs, newest first (keyset pagination with nextCursor).");
        api.MapGet("/{id:guid}", GetAsync)
            .WithName("GetWorkflow")
            .WithSummary("A run's status, plan, steps, tokens, cost, durations, alerts and trace id, with a fresh events ticket.");
        api.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithName("CancelWorkflow")
            .WithSummary("Cancels a Queued or Running run.");
        return api;
    }

    public static async Task<Results<Accepted<SubmitWorkflowResponse>, Ok<SubmitWorkflowResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        WorkflowRunStore store,
        OutboxSignal signal,
        WorkflowLinks links,
        EventTicketIssuer tickets,
        IOptions<GatewayOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON (application/json).");
        }

        var body = await RequestBody.ReadAsync(request, options.Value.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The request body is too large.",
                detail: $"The body must be at most {options.Value.MaxRequestBodyBytes} bytes.");
        }

        SubmitWorkflowRequest? submit;
        try
        {
            submit = JsonSerializer.Deserialize(body.Value.Span, SubmitWorkflowRequest.JsonTypeInfo);
        }
        catch (JsonException exception)
        {
            return TypedResults.ValidationProblem(JsonBodyErrors.From(exception, SubmitWorkflowRequest.JsonTypeInfo));
        }

        if (submit is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [JsonBodyErrors.BodyKey] = ["The body must be a JSON object."] });
        }

        var errors = SubmitWorkflowValidator.Validate(submit, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        using var activity = GatewayTelemetry.Source.StartActivity("workflow submit");
        var context = Activity.Current?.Context
            ?? new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        var result = await store.CreateAsync(
            new CreateRunRequest(
                submit.SessionId ?? SubmitWorkflowValidator.DefaultSessionId,
                submit.Task!,
                submit.Agent,
                submit.Model,
                submit.Mode,
                idempotencyKey,
                CorrelationId.Current,
                TraceContext.FormatTraceParent(context),
                TraceContext.FormatBaggage(Activity.Current)),
            cancellationToken).ConfigureAwait(false);
        var run = result.Run;
        activity?.SetTag(GatewayTelemetry.RunIdAttribute, run.Id.ToString());
        activity?.SetTag("workflow.submit.outcome", result.Outcome.ToString());

        if (result.Outcome == CreateRunOutcome.IdempotencyKeyConflict)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The Idempotency-Key was already used with a different request.",
                detail: "Send a new Idempotency-Key for a different request, or repeat the original request exactly.");
        }

        var ticket = tickets.ForRun(run.Id);
        var response = new SubmitWorkflowResponse(run.Id, WorkflowLinks.Status(run.Id), links.Events(), ticket.Ticket, ticket.ExpiresAt, run.TraceId);
        switch (result.Outcome)
        {
            case CreateRunOutcome.Replayed:
                return TypedResults.Ok(response);
            default:
                signal.Notify();
                GatewayLog.RunQueued(loggerFactory.CreateLogger(typeof(WorkflowsApi).FullName!), run.Id, run.SessionId);
                return TypedResults.Accepted(response.StatusUrl, response);
        }
    }

    public static async Task<Results<Ok<WorkflowRunDetails>, ProblemHttpResult>> GetAsync(
        Guid id,
        RunDetailsCache runs,
        WorkflowsDbContext db,
        WorkflowLinks links,
        EventTicketIssuer tickets,
        CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return RunNotFound(id);
        }

        var alerts = await db.Alerts.AsNoTracking().Where(a => a.RunId == id).OrderBy(a => a.CreatedAt).Take(MaxAlertsShown)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(WorkflowRunDetails.From(run, alerts, links.Events(), tickets.ForRun(id)));
    }

    public static async Task<Results<Ok<WorkflowRunPage>, ValidationProblem>> ListAsync(
        [FromQuery] string? sessionId,
        [FromQuery] string? status,
        [FromQuery] string? cursor,
        [FromQuery] QueryInteger? limit,
        WorkflowRunQueries queries,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(sessionId))
        {
            errors["sessionId"] = [$"The sessionId is required (1 to {SubmitWorkflowValidator.MaxNameLength} characters)."];
        }
        else if (SubmitWorkflowValidator.CheckName(nameof(sessionId), sessionId, allowSlash: false) is { } sessionError)
        {
            errors["sessionId"] = [sessionError];
        }

        WorkflowRunStatus? wanted = null;
        if (status is not null)
        {
            // One status by name only: Enum.TryParse would also take numbers and comma-joined names ("Queued,Running").
            if (Enum.GetNames<WorkflowRunStatus>().FirstOrDefault(candidate => string.Equals(candidate, status, StringComparison.OrdinalIgnoreCase)) is { } name)
            {
                wanted = Enum.Parse<WorkflowRunStatus>(name);
            }
            else
            {
                errors["status"] = [$"The status must be one of: {string.Join(", ", Enum.GetNames<WorkflowRunStatus>())}."];
            }
        }

        RunPageCursor? after = null;
        if (cursor is not null && !RunPageCursor.TryDecode(cursor, out after))
        {
            errors["cursor"] = ["The cursor is not one this API returned."];
        }

        var pageSize = QueryInteger.Validate(limit, nameof(limit), DefaultPageSize, 1, WorkflowRunQueries.MaxPageSize, errors);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await queries.ListAsync(sessionId!, wanted, after, pageSize, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new WorkflowRunPage([.. page.Items.Select(WorkflowRunSummary.From)], page.Next?.Encode()));
    }

    public static async Task<Results<Ok<CancelWorkflowResponse>, ProblemHttpResult>> CancelAsync(
        Guid id,
        WorkflowRunStore store,
        CancellationToken cancellationToken)
    {
        var result = await store.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        return result.Outcome switch
        {
            TransitionOutcome.Applied => TypedResults.Ok(new CancelWorkflowResponse(id, result.Status!.Value.ToString())),
            TransitionOutcome.NotFound => RunNotFound(id),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The run can no longer be cancelled.",
                detail: $"Run {id} is {result.Status}; only Queued or Running runs can be cancelled."),
        };
    }

    internal static ProblemHttpResult RunNotFound(Guid id)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The workflow run was not found.", detail: $"No run has id {id}.");
}
