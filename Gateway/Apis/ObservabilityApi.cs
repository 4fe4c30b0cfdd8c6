using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Observability.Gateway.RateLimiting;
using Observability.Workflows.Persistence;
using Observability.Workflows.Runs;

namespace Observability.Gateway.Apis;

/// <summary><c>/api/observability</c>: a session's performance summary and the dashboard link of a run's trace.</summary>
internal static class ObservabilityApi
{
    public const int DefaultHours = 24;
    public const int MaxHours = 24 * 30;

    public static RouteGroupBuilder MapObservabilityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/observability")
            .RequireRateLimiting(GatewayRateLimiting.PolicyName)
            .WithTags("Observability")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/performance/{sessionId}", GetPerformanceAsync)
            .WithName("GetSessionPerformance")
            .WithSummary("Run counts, error rate, durations and cost of a session over the last hours (1 to 720).");
        api.MapGet("/traces/{runId:guid}", GetTraceAsync)
            .WithName("GetRunTrace")
            .WithSummary("The run's trace id and its page in the dashboard.");
        return api;
    }

    public static async Task<Results<Ok<SessionPerformance>, ValidationProblem>> GetPerformanceAsync(
        string sessionId,
        [FromQuery] QueryInteger? hours,
        WorkflowRunQueries queries,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (SubmitWorkflowValidator.CheckName(nameof(sessionId), sessionId, allowSlash: false) is { } sessionError)
        {
            errors["sessionId"] = [sessionError];
        }

        var window = QueryInteger.Validate(hours, nameof(hours), DefaultHours, 1, MaxHours, errors);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var summary = await queries.GetPerformanceSummaryAsync(sessionId, TimeSpan.FromHours(window), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SessionPerformance(sessionId, window, summary));
    }

    public static async Task<Results<Ok<RunTraceLink>, ProblemHttpResult>> GetTraceAsync(
        Guid runId,
        WorkflowsDbContext db,
        WorkflowLinks links,
        CancellationToken cancellationToken)
    {
        var found = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.TraceId })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return WorkflowsApi.RunNotFound(runId);
        }

        return TypedResults.Ok(new RunTraceLink(runId, found.TraceId, links.Trace(found.TraceId)));
    }
}
