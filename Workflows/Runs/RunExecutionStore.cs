using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Observability.Workflows.Messaging;

namespace Observability.Workflows.Runs;

/// <summary>
/// The worker's hot path on a run, one round trip per change (plain SQL on the data source, no change tracking):
/// start or take over (returning what execution needs), record the plan with its steps, step transitions (a step's
/// completion adds its tokens and cost to the run in the same statement), finish. Every change is a compare-and-set
/// fenced by the run's attempt: once a newer attempt started the run, an older executor changes nothing.
/// </summary>
public sealed class RunExecutionStore(NpgsqlDataSource dataSource, TimeProvider timeProvider)
{
    private const string StartSql = """
        UPDATE workflow_runs SET status = 'Running', started_at = $2, attempt_count = attempt_count + 1
        WHERE id = $1 AND (status = 'Queued' OR (status = 'Running' AND $3))
        RETURNING session_id, task, agent, model, created_at, plan, attempt_count
        """;

    private const string RecordPlanSql = """
        WITH run AS (
            UPDATE workflow_runs SET plan = $3, quality_score = $4,
                input_tokens = input_tokens + $5, output_tokens = output_tokens + $6, cost = cost + $7
            WHERE id = $1 AND status = 'Running' AND attempt_count = $2 AND plan IS NULL
            RETURNING id)
        INSERT INTO workflow_steps (run_id, step_key, agent, explanation, status)
        SELECT run.id, s.step_key, s.agent, s.explanation, 'Pending'
        FROM run, unnest($8::text[], $9::text[], $10::text[]) AS s(step_key, agent, explanation)
        """;

    private const string OwnedRun = "EXISTS (SELECT 1 FROM workflow_runs r WHERE r.id = $1 AND r.status = 'Running' AND r.attempt_count = $2)";

    private const string StartStepSql = $"""
        UPDATE workflow_steps SET status = 'Running', started_at = $4, completed_at = NULL, error = NULL
        WHERE run_id = $1 AND step_key = $3 AND status = 'Pending' AND {OwnedRun}
        """;

    private const string CompleteStepSql = $"""
        WITH step AS (
            UPDATE workflow_steps SET status = 'Completed', completed_at = $4, input_tokens = $5, output_tokens = $6, cost = $7
            WHERE run_id = $1 AND step_key = $3 AND status = 'Running' AND {OwnedRun}
            RETURNING input_tokens, output_tokens, cost)
        UPDATE workflow_runs r SET input_tokens = r.input_tokens + step.input_tokens,
            output_tokens = r.output_tokens + step.output_tokens, cost = r.cost + step.cost
        FROM step WHERE r.id = $1
        """;

    private const string FailStepSql = $"""
        UPDATE workflow_steps SET status = 'Failed', completed_at = $4, error = $5
        WHERE run_id = $1 AND step_key = $3 AND status = 'Running' AND {OwnedRun}
        """;

    private const string SkipStepSql = $"""
        UPDATE workflow_steps SET status = 'Skipped'
        WHERE run_id = $1 AND step_key = $3 AND status = 'Pending' AND {OwnedRun}
        """;

    private const string ResumeSql = $"""
        WITH reset AS (
            UPDATE workflow_steps SET status = 'Pending', started_at = NULL, completed_at = NULL, error = NULL,
                input_tokens = 0, output_tokens = 0, cost = 0
            WHERE run_id = $1 AND status <> 'Completed' AND {OwnedRun}
            RETURNING step_key)
        SELECT step_key FROM workflow_steps WHERE run_id = $1 AND status = 'Completed'
        """;

    private const string FinishSql = """
        UPDATE workflow_runs SET status = $3, completed_at = $4
        WHERE id = $1 AND status = 'Running' AND attempt_count = $2
        RETURNING status, input_tokens, output_tokens, cost
        """;

    private const string StatusSql = "SELECT status, input_tokens, output_tokens, cost FROM workflow_runs WHERE id = $1";

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
        await using var command = dataSource.CreateCommand(StartSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = takeOver });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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
            reader.GetInt32(6));
    }

    /// <summary>
    /// Stores the plan, its score and the planning call's tokens and cost on the run, and one Pending step per planned
    /// step, in one statement; false when the run is no longer this attempt's to plan (cancelled, taken over, planned).
    /// </summary>
    public async Task<bool> TryRecordPlanAsync(
        RunExecution run, WorkflowPlan plan, double qualityScore, long inputTokens, long outputTokens, decimal cost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(plan);
        await using var command = dataSource.CreateCommand(RecordPlanSql);
        AddRun(command, run);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(plan, WorkflowsJsonContext.Default.WorkflowPlan), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = qualityScore });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = inputTokens });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = outputTokens });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = cost });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.Steps.Select(s => s.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.Steps.Select(s => s.Agent)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.Steps.Select(s => s.Explanation)] });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// For a resumed run: every step that did not complete under an earlier attempt goes back to Pending (an
    /// interrupted or failed step runs again); returns the keys of the completed steps, which are not run again.
    /// </summary>
    public async Task<IReadOnlySet<string>> ResumeStepsAsync(RunExecution run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = dataSource.CreateCommand(ResumeSql);
        AddRun(command, run);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            completed.Add(reader.GetString(0));
        }

        return completed;
    }

    /// <summary>Pending → Running; false when the step is not Pending or the run is no longer this attempt's.</summary>
    public Task<bool> TryStartStepAsync(RunExecution run, string stepKey, CancellationToken cancellationToken = default)
        => StepAsync(StartStepSql, run, stepKey, cancellationToken);

    /// <summary>Running → Completed with its tokens and cost, which are added to the run's totals in the same statement.</summary>
    public Task<bool> CompleteStepAsync(RunExecution run, string stepKey, long inputTokens, long outputTokens, decimal cost, CancellationToken cancellationToken = default)
        => StepAsync(CompleteStepSql, run, stepKey, cancellationToken,
            new NpgsqlParameter<long> { TypedValue = inputTokens },
            new NpgsqlParameter<long> { TypedValue = outputTokens },
            new NpgsqlParameter<decimal> { TypedValue = cost });

    /// <summary>Running → Failed with the error.</summary>
    public Task<bool> FailStepAsync(RunExecution run, string stepKey, string error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return StepAsync(FailStepSql, run, stepKey, cancellationToken, new NpgsqlParameter<string> { TypedValue = error });
    }

    /// <summary>Pending → Skipped (a dependency failed).</summary>
    public async Task<bool> SkipStepAsync(RunExecution run, string stepKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = dataSource.CreateCommand(SkipStepSql);
        AddRun(command, run);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stepKey });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Running → <paramref name="status"/> (Completed or Failed) under this attempt; with the run's stored totals.</summary>
    public async Task<RunFinish> FinishAsync(RunExecution run, WorkflowRunStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (status is not (WorkflowRunStatus.Completed or WorkflowRunStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run finishes Completed or Failed.");
        }

        await using (var command = dataSource.CreateCommand(FinishSql))
        {
            AddRun(command, run);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status.ToString() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
            if (await ReadFinishAsync(command, applied: true, cancellationToken).ConfigureAwait(false) is { } finish)
            {
                return finish;
            }
        }

        await using var current = dataSource.CreateCommand(StatusSql);
        current.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.RunId });
        return await ReadFinishAsync(current, applied: false, cancellationToken).ConfigureAwait(false)
            ?? new RunFinish(false, null, 0, 0, 0m);
    }

    /// <summary>The run's status (null: no such run).</summary>
    public async Task<WorkflowRunStatus?> GetStatusAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StatusSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        return (await ReadFinishAsync(command, applied: false, cancellationToken).ConfigureAwait(false))?.Status;
    }

    /// <summary>Running → Queued under this attempt (its executor gives it back for another delivery to resume).</summary>
    public async Task<bool> ReleaseAsync(RunExecution run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = dataSource.CreateCommand(ReleaseSql);
        AddRun(command, run);
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

    private async Task<bool> StepAsync(string sql, RunExecution run, string stepKey, CancellationToken cancellationToken, params NpgsqlParameter[] extra)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = dataSource.CreateCommand(sql);
        AddRun(command, run);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stepKey });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Now() });
        command.Parameters.AddRange(extra);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) >= 1;
    }

    private static void AddRun(NpgsqlCommand command, RunExecution run)
    {
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.RunId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = run.Attempt });
    }

    /// <summary>PostgreSQL keeps microseconds: truncate so a value read back equals the one written.</summary>
    private DateTimeOffset Now()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
