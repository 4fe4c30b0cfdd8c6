using Microsoft.Extensions.Options;
using Npgsql;
using Observability.WebSocketHub.Configuration;
using Observability.WebSocketHub.Protocol;
using Observability.Workflows.Runs;

namespace Observability.WebSocketHub.RunStates;

/// <summary>
/// Reads what a <c>truncated</c> frame carries from PostgreSQL, the truth: a run's status, attempt and step counts, or
/// a session's runs by status. One statement each, on the read-only <see cref="NpgsqlDataSource"/> of Aspire's
/// <c>AddNpgsqlDataSource("workflows")</c>; bounded by <c>WebSocketHub:RunStateTimeout</c> (a
/// <see cref="TimeoutException"/> past it).
/// </summary>
internal sealed class RunStateReader(NpgsqlDataSource dataSource, IOptions<WebSocketHubOptions> options, TimeProvider timeProvider)
{
    // The run's row and its steps in one round trip (workflow_steps' key starts with run_id).
    private const string RunSql = """
        SELECT r.status, r.attempt_count, r.started_at, r.completed_at,
               count(s.step_key) FILTER (WHERE s.status = 'Completed'), count(s.step_key)
        FROM workflow_runs r LEFT JOIN workflow_steps s ON s.run_id = r.id
        WHERE r.id = $1
        GROUP BY r.id
        """;

    // Served from ix_workflow_runs_session_keyset (the session's index entries, then their rows' status).
    private const string SessionSql = "SELECT status, count(*) FROM workflow_runs WHERE session_id = $1 GROUP BY status";

    private readonly TimeSpan _timeout = options.Value.RunStateTimeout;

    /// <summary>The run's state; null when PostgreSQL has no such run.</summary>
    public async Task<RunState?> ReadRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await using var command = dataSource.CreateCommand(RunSql);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
            await using var reader = await command.ExecuteReaderAsync(linked.Token).ConfigureAwait(false);
            if (!await reader.ReadAsync(linked.Token).ConfigureAwait(false))
            {
                return null;
            }

            var status = reader.GetString(0);
            return new RunState(
                status,
                IsFinal(status),
                reader.GetInt32(1),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Timeout("run", runId.ToString());
        }
    }

    /// <summary>The session's runs by status (all zero when it has none).</summary>
    public async Task<SessionState> ReadSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await using var command = dataSource.CreateCommand(SessionSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sessionId });
            await using var reader = await command.ExecuteReaderAsync(linked.Token).ConfigureAwait(false);
            var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
            long runs = 0;
            long active = 0;
            while (await reader.ReadAsync(linked.Token).ConfigureAwait(false))
            {
                var status = reader.GetString(0);
                var count = reader.GetInt64(1);
                statuses[status] = count;
                runs += count;
                active += IsFinal(status) ? 0 : count;
            }

            return new SessionState(runs, active, statuses);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Timeout("session", sessionId);
        }
    }

    /// <summary>Whether <paramref name="status"/> is one a run never leaves.</summary>
    internal static bool IsFinal(string status) =>
        status is nameof(WorkflowRunStatus.Completed) or nameof(WorkflowRunStatus.Failed) or nameof(WorkflowRunStatus.Cancelled) or nameof(WorkflowRunStatus.DeadLettered);

    private TimeoutException Timeout(string what, string id) =>
        new($"Reading the state of {what} {id} from PostgreSQL took longer than {_timeout} (WebSocketHub:RunStateTimeout).");
}
