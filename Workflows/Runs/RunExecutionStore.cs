using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Observability.Workflows.Messaging;
using Observability.Workflows.Persistence;

namespace Observability.Workflows.Runs;

/// <summary>
/// The worker's hot path on a run, one statement per change (plain SQL, no change tracking): start or take over
/// (returning what execution needs), record the plan with its steps, step transitions (a step's completion adds its
/// tokens and cost to the run in the same statement), finish. Every change is a compare-and-set fenced by the run's
/// attempt: once a newer attempt started the run, an older executor changes nothing.
/// </summary>
/// <remarks>
/// It runs on the <see cref="NpgsqlDataSource"/> of Aspire's <c>AddNpgsqlDataSource</c> (registered by
/// <c>AddWorkflowsDatabase</c>), whose connections prepare these few statements once each (<c>Max Auto Prepare</c>),
/// plan each once (<c>plan_cache_mode=force_generic_plan</c>) and are not reset on return to the pool
/// (<c>No Reset On Close</c>: these statements leave no session state). The statements every run makes (start, plan,
/// step completions) go through the <see cref="StatementBatcher"/>: those of many runs share a round trip and a commit.
/// </remarks>
public sealed class RunExecutionStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StatementBatcher _batcher;
    private readonly TimeProvider _timeProvider;

    internal RunExecutionStore(NpgsqlDataSource dataSource, StatementBatcher batcher, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(batcher);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _dataSource = dataSource;
        _batcher = batcher;
        _timeProvider = timeProvider;
    }

    // db.query.summary of the batched statements (their spans' names).
    private const string StartSummary = "UPDATE workflow_runs";
    private const string RecordPlanSummary = "UPDATE workflow_runs INSERT workflow_steps";
    private const string CompleteStepSummary = "UPDATE workflow_steps UPDATE workflow_runs";

    private const string StartSql = """
        UPDATE workflow_runs SET status = 'Running', started_at = $2, attempt_count = attempt_count + 1
        WHERE id = $1 AND (status = 'Queued' OR (status = 'Running' AND $3))
        RETURNING session_id, task, agent, model, created_at, plan, attempt_count, traceparent, baggage
        """;

    private const string RecordPlanSql = """
        WITH run AS (
            UPDATE workflow_runs SET plan = $3, quality_score = $4,
                input_tokens = input_tokens + $5, output_tokens = output_tokens + $6, cost = cost + $7
            WHERE id = $1 AND status = 'Running' AND attempt_count = $2 AND plan IS NULL
            RETURNING id)
        INSERT INTO workflow_steps (run_id, step_key, agent, explanation, status, started_at)
        SELECT run.id, s.step_key, s.agent, s.explanation,
            CASE WHEN s.step_key = ANY($11) THEN 'Running' ELSE 'Pending' END,
            CASE WHEN s.step_key = ANY($11) THEN $12 END
        FROM run, unnest($8::text[], $9::text[], $10::text[]) AS s(step_key, agent, explanation)
        RETURNING step_key
        """;

    private const string OwnedRun = "EXISTS (SELECT 1 FROM workflow_runs r WHERE r.id = $1 AND r.status = 'Running' AND r.attempt_count = $2)";

    private const string StartStepsSql = $"""
        UPDATE workflow_steps SET status = 'Running', started_at = $4
        WHERE run_id = $1 AND step_key = ANY($3) AND status = 'Pending' AND {OwnedRun}
        RETURNING step_key
        """;

    private const string CompleteStepSql = $"""
        WITH done AS (
            UPDATE workflow_steps SET status = 'Completed', completed_at = $4, input_tokens = $5, output_tokens = $6, cost = $7
            WHERE run_id = $1 AND step_key = $3 AND status = 'Running' AND {OwnedRun}
            RETURNING run_id),
        started AS (
            UPDATE workflow_steps s SET status = 'Running', started_at = $4
            FROM done WHERE s.run_id = done.run_id AND s.step_key = ANY($8) AND s.status = 'Pending'
            RETURNING s.step_key),
        fin AS (
            UPDATE workflow_runs r SET status = 'Completed', completed_at = $4,
                input_tokens = r.input_tokens + s.input_tokens + $5, output_tokens = r.output_tokens + s.output_tokens + $6,
                cost = r.cost + s.cost + $7
            FROM done, (SELECT coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
                    coalesce(sum(cost), 0) AS cost
                FROM workflow_steps WHERE run_id = $1 AND status = 'Completed') s
            WHERE $9 AND r.id = $1 AND r.status = 'Running' AND r.attempt_count = $2
            RETURNING r.input_tokens, r.output_tokens, r.cost)
        SELECT 's' AS kind, step_key, NULL::bigint AS input_tokens, NULL::bigint AS output_tokens, NULL::numeric AS cost FROM started
        UNION ALL SELECT 'd', NULL, NULL, NULL, NULL FROM done
        UNION ALL SELECT 'f', NULL, input_tokens, output_tokens, cost FROM fin
        """;

    private const string FailStepSql = $"""
        WITH failed AS (
            UPDATE workflow_steps SET status = 'Failed', completed_at = $4, error = $5
            WHERE run_id = $1 AND step_key = $3 AND status = 'Running' AND {OwnedRun}
            RETURNING run_id)
        UPDATE workflow_steps s SET status = 'Skipped'
        FROM failed WHERE s.run_id = failed.run_id AND s.step_key = ANY($6) AND s.status = 'Pending'
        """;

    private const string ResumeSql = $"""
        WITH reset AS (
            UPDATE workflow_steps SET status = 'Pending', started_at = NULL, completed_at = NULL, error = NULL,
                input_tokens = 0, output_tokens = 0, cost = 0
            WHERE run_id = $1 AND status <> 'Completed' AND {OwnedRun}
            RETURNING step_key)
        SELECT step_key FROM workflow_steps WHERE run_id = $1 AND status = 'Completed'
        """;

    // The run's totals: what planning added, plus every completed step once (steps keep their own figures).
    private const string FinishSql = """
        UPDATE workflow_runs r SET status = $3, completed_at = $4,
            input_tokens = r.input_tokens + s.input_tokens, output_tokens = r.output_tokens + s.output_tokens, cost = r.cost + s.cost
        FROM (SELECT coalesce(sum(input_tokens), 0)::bigint AS input_tokens, coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
                coalesce(sum(cost), 0) AS cost
              FROM workflow_steps WHERE run_id = $1 AND status = 'Completed') s
        WHERE r.id = $1 AND r.status = 'Running' AND r.attempt_count = $2
        RETURNING r.status, r.input_tokens, r.output_tokens, r.cost
        """;

    private const string StatusSql = "SELECT status, input_tokens, output_tokens, cost FROM workflow_runs WHERE id = $1";

    private const string TraceContextSql = "SELECT traceparent, baggage FROM workflow_runs WHERE id = $1";

    private const string ReleaseSql = """
        UPDATE workflow_runs SET status = 'Queued', started_at = NULL
        WHERE id = $1 AND status = 'Running' AND attempt_count = $2
        """;

    /// <summary>
    /// Queued → Running (or, with <paramref name="takeOver"/>, Running → Running for a job redelivered because its
    /// executor died), counting the attempt; null when the run is in neither state (finished, cancelled, unknown).
    /// </summary>
    public async Task<RunExecution?> TryStartAsync(Guid runId, bool takeOver, CancellationToken cancellationToken = default)
    {
        var command = new NpgsqlBatchCommand(StartSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = takeOver });
        return await _batcher.ExecuteAsync<RunExecution?>(command, StartSummary, async (reader, ct) =>
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return null;
            }

            return new RunExecution(
                runId,
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), WorkflowsJsonContext.Default.WorkflowPlan),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the plan, its score and the planning call's tokens and cost on the run, and one step per planned step
    /// (<paramref name="startNow"/> Running at once, the others Pending), in one statement; false when the run is no
    /// longer this attempt's to plan (cancelled, taken over, already planned).
    /// </summary>
    public async Task<bool> TryRecordPlanAsync(
        RunExecution run, WorkflowPlan plan, double qualityScore, long inputTokens, long outputTokens, decimal cost,
        IReadOnlyCollection<string> startNow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(startNow);
        var command = new NpgsqlBatchCommand(RecordPlanSql);
        AddRun(command.Parameters, run);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(plan, WorkflowsJsonContext.Default.WorkflowPlan), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = qualityScore });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = inputTokens });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = outputTokens });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = cost });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.Steps.Select(s => s.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.Steps.Select(s => s.Agent)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.Steps.Select(s => s.Explanation)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. startNow] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
        return await _batcher.ExecuteAsync(command, RecordPlanSummary, static (reader, ct) => reader.ReadAsync(ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For a resumed run: every step that did not complete under an earlier attempt goes back to Pending (an
    /// interrupted or failed step runs again); returns the keys of the completed steps, which are not run again.
    /// </summary>
    public async Task<IReadOnlySet<string>> ResumeStepsAsync(RunExecution run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = _dataSource.CreateCommand(ResumeSql);
        AddRun(command.Parameters, run);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            completed.Add(reader.GetString(0));
        }

        return completed;
    }

    /// <summary>Pending → Running for each of <paramref name="stepKeys"/>; returns the keys this call started.</summary>
    public async Task<IReadOnlyList<string>> StartStepsAsync(RunExecution run, IReadOnlyCollection<string> stepKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stepKeys);
        await using var command = _dataSource.CreateCommand(StartStepsSql);
        AddRun(command.Parameters, run);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. stepKeys] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
        var started = new List<string>(stepKeys.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            started.Add(reader.GetString(0));
        }

        return started;
    }

    /// <summary>
    /// Running → Completed with its tokens and cost and, in the same statement, Pending → Running for
    /// <paramref name="startNext"/> (the steps it made ready) and, with <paramref name="finishRun"/> (it is the last
    /// step), Running → Completed for the run with its final totals (the statement's snapshot does not see this step
    /// as Completed yet, so its figures are added explicitly). Null when the step was not this attempt's to complete.
    /// </summary>
    public async Task<StepCompletion?> CompleteStepAsync(
        RunExecution run, string stepKey, long inputTokens, long outputTokens, decimal cost, IReadOnlyCollection<string> startNext, bool finishRun,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(startNext);
        var command = new NpgsqlBatchCommand(CompleteStepSql);
        AddStep(command.Parameters, run, stepKey);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = inputTokens });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = outputTokens });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = cost });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. startNext] });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = finishRun });
        return await _batcher.ExecuteAsync<StepCompletion?>(command, CompleteStepSummary, static async (reader, ct) =>
        {
            var completed = false;
            RunFinish? finish = null;
            var started = new List<string>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                switch (reader.GetString(0))
                {
                    case "s":
                        started.Add(reader.GetString(1));
                        break;
                    case "d":
                        completed = true;
                        break;
                    default:
                        finish = new RunFinish(true, WorkflowRunStatus.Completed, reader.GetInt64(2), reader.GetInt64(3), reader.GetDecimal(4));
                        break;
                }
            }

            return completed ? new StepCompletion(started, finish) : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Running → Failed with the error and, in the same statement, Pending → Skipped for <paramref name="skip"/> (its dependents).</summary>
    public async Task FailStepAsync(RunExecution run, string stepKey, string error, IReadOnlyCollection<string> skip, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        ArgumentNullException.ThrowIfNull(skip);
        await using var command = _dataSource.CreateCommand(FailStepSql);
        AddStep(command.Parameters, run, stepKey);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. skip] });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Running → <paramref name="status"/> (Completed or Failed) under this attempt, adding every completed step's
    /// tokens and cost to the run's totals (which held the planning call's); returns the run's totals.
    /// </summary>
    public async Task<RunFinish> FinishAsync(RunExecution run, WorkflowRunStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (status is not (WorkflowRunStatus.Completed or WorkflowRunStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run finishes Completed or Failed.");
        }

        await using (var command = _dataSource.CreateCommand(FinishSql))
        {
            AddRun(command.Parameters, run);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status.ToString() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
            if (await ReadFinishAsync(command, applied: true, cancellationToken).ConfigureAwait(false) is { } finish)
            {
                return finish;
            }
        }

        await using var current = _dataSource.CreateCommand(StatusSql);
        current.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.RunId });
        return await ReadFinishAsync(current, applied: false, cancellationToken).ConfigureAwait(false)
            ?? new RunFinish(false, null, 0, 0, 0m);
    }

    /// <summary>The run's status (null: no such run).</summary>
    public async Task<WorkflowRunStatus?> GetStatusAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(StatusSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        return (await ReadFinishAsync(command, applied: false, cancellationToken).ConfigureAwait(false))?.Status;
    }

    /// <summary>
    /// The W3C <c>traceparent</c> and <c>baggage</c> the run was submitted under, as stored with the run (nulls for an
    /// unknown run or one submitted without them): what a path that re-enqueues or resumes the run continues.
    /// </summary>
    public async Task<(string? TraceParent, string? Baggage)> GetTraceContextAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(TraceContextSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : (null, null);
    }

    /// <summary>Running → Queued under this attempt (its executor gives it back for another delivery to resume).</summary>
    public async Task<bool> ReleaseAsync(RunExecution run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = _dataSource.CreateCommand(ReleaseSql);
        AddRun(command.Parameters, run);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static async Task<RunFinish?> ReadFinishAsync(NpgsqlCommand command, bool applied, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new RunFinish(applied, Enum.Parse<WorkflowRunStatus>(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2), reader.GetDecimal(3));
    }

    private void AddStep(NpgsqlParameterCollection parameters, RunExecution run, string stepKey)
    {
        AddRun(parameters, run);
        parameters.Add(new NpgsqlParameter<string> { TypedValue = stepKey });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
    }

    private static void AddRun(NpgsqlParameterCollection parameters, RunExecution run)
    {
        parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.RunId });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = run.Attempt });
    }

    /// <summary>PostgreSQL keeps microseconds: truncate so a value read back equals the one written.</summary>
    private DateTimeOffset Now()
    {
        var now = _timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
