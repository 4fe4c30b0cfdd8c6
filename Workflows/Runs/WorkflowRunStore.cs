using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Observability.Workflows.Messaging;
using Observability.Workflows.Outbox;
using Observability.Workflows.Persistence;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Runs;

/// <summary>
/// The run state changes the Gateway and the Worker make. Every change is a single conditional statement, so
/// concurrent callers cannot both win: creation writes the run and its job (outbox) in one transaction; status
/// changes are compare-and-set on the current status.
/// </summary>
public sealed class WorkflowRunStore(WorkflowsDbContext db, TimeProvider timeProvider, ILogger<WorkflowRunStore> logger)
{
    /// <summary>The run and its job in one statement; see <see cref="InsertRunAndJobAsync"/>.</summary>
    private const string InsertRunAndJobSql = """
        WITH run AS (
            INSERT INTO workflow_runs (id, session_id, task, agent, model, mode, status, idempotency_key, request_hash, trace_id, correlation_id, created_at, traceparent, baggage)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $16, $17)
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING id)
        INSERT INTO outbox_messages (id, stream, payload, traceparent, baggage, created_at)
        SELECT $13, $14, $15, $16, $17, $12 FROM run
        """;

    /// <summary>
    /// Queues a run and its <see cref="WorkflowJobMessage"/> atomically. With an idempotency key already used by the
    /// same request, returns that run instead (<see cref="CreateRunOutcome.Replayed"/>); by a different request,
    /// <see cref="CreateRunOutcome.IdempotencyKeyConflict"/>.
    /// </summary>
    public async Task<CreateRunResult> CreateAsync(CreateRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.SessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Task);
        if (Encoding.UTF8.GetByteCount(request.Task) > WorkflowRun.MaxTaskBytes)
        {
            throw new ArgumentException($"The task is longer than {WorkflowRun.MaxTaskBytes} UTF-8 bytes.", nameof(request));
        }

        var hash = request.IdempotencyKey is null ? null : request.ComputeHash();
        if (request.IdempotencyKey is not null && await FindByKeyAsync(request.IdempotencyKey, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return Replay(existing, hash!);
        }

        var now = NowToMicroseconds();
        var run = new WorkflowRun
        {
            Id = Guid.CreateVersion7(now),
            SessionId = request.SessionId,
            Task = request.Task,
            Agent = request.Agent,
            Model = request.Model,
            Mode = request.Mode,
            Status = WorkflowRunStatus.Queued,
            IdempotencyKey = request.IdempotencyKey,
            RequestHash = hash,
            TraceId = ActivityContext.TryParse(request.TraceParent, null, out var context) ? context.TraceId.ToHexString() : null,
            CorrelationId = request.CorrelationId,
            TraceParent = request.TraceParent,
            Baggage = request.Baggage,
            CreatedAt = now,
        };
        var job = new WorkflowJobMessage(run.Id, 1, request.TraceParent, request.Baggage);
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Stream = WorkflowStreams.Jobs,
            Payload = JsonSerializer.Serialize(job, WorkflowsJsonContext.Default.WorkflowJobMessage),
            TraceParent = request.TraceParent,
            Baggage = request.Baggage,
            CreatedAt = now,
        };

        if (await InsertRunAndJobAsync(run, message, cancellationToken).ConfigureAwait(false))
        {
            return new CreateRunResult(CreateRunOutcome.Created, run);
        }

        // The idempotency key is taken: by a concurrent request that committed first, or by an earlier one that a
        // lookup above did not see yet. Answer as if it had come before us.
        var winner = await FindByKeyAsync(request.IdempotencyKey!, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The run that holds the idempotency key vanished.");
        return Replay(winner, hash!);
    }

    /// <summary>
    /// Inserts the run and its outbox row in ONE statement (one round trip, one implicit transaction, so both commit
    /// or neither does): the outbox row is selected from the run insert's RETURNING, so when the idempotency key is
    /// already taken (ON CONFLICT DO NOTHING, which waits for a concurrent holder to commit) neither row is written.
    /// Plain Npgsql with positional parameters, prepared: no change tracking or SQL generation on the hottest path.
    /// </summary>
    /// <returns>True when both rows were written; false when the idempotency key was already taken.</returns>
    /// <exception cref="DbUpdateException">The database refused the statement or could not be reached.</exception>
    private async Task<bool> InsertRunAndJobAsync(WorkflowRun run, OutboxMessage message, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = false;
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            opened = true;
        }

        try
        {
            var command = new NpgsqlCommand(InsertRunAndJobSql, connection)
            {
                Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction,
            };
            await using (command.ConfigureAwait(false))
            {
                var parameters = command.Parameters;
                parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.Id });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = run.SessionId });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Task });
                parameters.Add(Text(run.Agent));
                parameters.Add(Text(run.Model));
                parameters.Add(Text(run.Mode));
                parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Status.ToString() });
                parameters.Add(Text(run.IdempotencyKey));
                parameters.Add(Text(run.RequestHash));
                parameters.Add(Text(run.TraceId));
                parameters.Add(Text(run.CorrelationId));
                parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.CreatedAt });
                parameters.Add(new NpgsqlParameter<Guid> { TypedValue = message.Id });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Stream });
                parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Payload, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
                parameters.Add(Text(message.TraceParent));
                parameters.Add(Text(message.Baggage));

                // Prepared statements persist on each pooled physical connection: only the first submit on a
                // connection pays the extra round trip; later ones skip PostgreSQL's parse and plan.
                await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }
        }
        catch (NpgsqlException exception)
        {
            // The same contract as a failed SaveChanges: a database refusal (PostgresException, after which neither
            // row exists) or a lost connection (the outcome then is unknown) surfaces as a DbUpdateException.
            throw new DbUpdateException("Storing the run and its job failed.", exception);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    private static NpgsqlParameter Text(string? value)
        => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };


    /// <summary>Compare-and-set Queued → Running; true for exactly one caller. Counts the attempt and stamps the start.</summary>
    public async Task<bool> TryStartAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var now = NowToMicroseconds();
        var updated = await db.Runs
            .Where(r => r.Id == runId && r.Status == WorkflowRunStatus.Queued)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, WorkflowRunStatus.Running)
                    .SetProperty(r => r.StartedAt, now)
                    .SetProperty(r => r.AttemptCount, r => r.AttemptCount + 1),
                cancellationToken).ConfigureAwait(false);
        return updated == 1;
    }

    /// <summary>
    /// Stores the validated plan and its quality score on a Running run and adds one Pending step per planned step,
    /// in one transaction. The row version (xmin) makes a concurrent change (say, a cancel) win: then nothing is stored.
    /// </summary>
    public async Task<TransitionResult> RecordPlanAsync(Guid runId, WorkflowPlan plan, double qualityScore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                return new TransitionResult(TransitionOutcome.NotFound, null);
            }

            if (run.Status != WorkflowRunStatus.Running || run.Plan is not null)
            {
                return new TransitionResult(TransitionOutcome.Rejected, run.Status);
            }

            run.Plan = plan;
            run.QualityScore = qualityScore;
            db.Steps.AddRange(plan.Steps.Select(step => new WorkflowStep
            {
                RunId = runId,
                StepKey = step.Id,
                Agent = step.Agent,
                Explanation = step.Explanation,
                Status = WorkflowStepStatus.Pending,
            }));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return new TransitionResult(TransitionOutcome.Applied, WorkflowRunStatus.Running);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Runs.Where(r => r.Id == runId).Select(r => (WorkflowRunStatus?)r.Status)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return new TransitionResult(current is null ? TransitionOutcome.NotFound : TransitionOutcome.Rejected, current);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Running → Completed, setting the run's final token and cost totals (steps add theirs as they complete; the
    /// final figures also count calls outside steps, such as planning and validation).
    /// </summary>
    public Task<TransitionResult> CompleteAsync(Guid runId, long inputTokens, long outputTokens, decimal cost, CancellationToken cancellationToken = default)
    {
        var now = NowToMicroseconds();
        return TransitionAsync(
            runId,
            [WorkflowRunStatus.Running],
            WorkflowRunStatus.Completed,
            query => query.ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, WorkflowRunStatus.Completed)
                    .SetProperty(r => r.CompletedAt, now)
                    .SetProperty(r => r.InputTokens, inputTokens)
                    .SetProperty(r => r.OutputTokens, outputTokens)
                    .SetProperty(r => r.Cost, cost),
                cancellationToken),
            cancellationToken);
    }

    /// <summary>Running → Failed.</summary>
    public Task<TransitionResult> FailAsync(Guid runId, CancellationToken cancellationToken = default)
        => StampedTransitionAsync(runId, [WorkflowRunStatus.Running], WorkflowRunStatus.Failed, cancellationToken);

    /// <summary>
    /// Queued or Running → Cancelled; in the same transaction the run's Pending and Running steps become Skipped
    /// ("The run was cancelled."), since a worker's later step updates only apply while the run is Running.
    /// </summary>
    public async Task<TransitionResult> CancelAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await StampedTransitionAsync(runId, [WorkflowRunStatus.Queued, WorkflowRunStatus.Running], WorkflowRunStatus.Cancelled, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == TransitionOutcome.Applied)
        {
            var now = NowToMicroseconds();
            await db.Steps
                .Where(s => s.RunId == runId && (s.Status == WorkflowStepStatus.Pending || s.Status == WorkflowStepStatus.Running))
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(s => s.Status, WorkflowStepStatus.Skipped)
                        .SetProperty(s => s.CompletedAt, now)
                        .SetProperty(s => s.Error, CancelledStepError),
                    cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The error recorded on the steps a cancel stopped.</summary>
    public const string CancelledStepError = "The run was cancelled.";

    /// <summary>Queued, Running or Failed → DeadLettered, with the reason.</summary>
    public Task<TransitionResult> DeadLetterAsync(Guid runId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = NowToMicroseconds();
        return TransitionAsync(
            runId,
            [WorkflowRunStatus.Queued, WorkflowRunStatus.Running, WorkflowRunStatus.Failed],
            WorkflowRunStatus.DeadLettered,
            query => query.ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, WorkflowRunStatus.DeadLettered)
                    .SetProperty(r => r.CompletedAt, r => r.CompletedAt ?? now)
                    .SetProperty(r => r.DeadLetterReason, reason),
                cancellationToken),
            cancellationToken);
    }

    private Task<TransitionResult> StampedTransitionAsync(Guid runId, WorkflowRunStatus[] from, WorkflowRunStatus to, CancellationToken cancellationToken)
    {
        var now = NowToMicroseconds();
        return TransitionAsync(
            runId,
            from,
            to,
            query => query.ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, to).SetProperty(r => r.CompletedAt, now),
                cancellationToken),
            cancellationToken);
    }

    private async Task<TransitionResult> TransitionAsync(
        Guid runId,
        WorkflowRunStatus[] from,
        WorkflowRunStatus to,
        Func<IQueryable<WorkflowRun>, Task<int>> update,
        CancellationToken cancellationToken)
    {
        var updated = await update(db.Runs.Where(r => r.Id == runId && from.Contains(r.Status))).ConfigureAwait(false);
        if (updated == 1)
        {
            return new TransitionResult(TransitionOutcome.Applied, to);
        }

        var current = await db.Runs.Where(r => r.Id == runId).Select(r => (WorkflowRunStatus?)r.Status)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return current is null
            ? new TransitionResult(TransitionOutcome.NotFound, null)
            : new TransitionResult(TransitionOutcome.Rejected, current);
    }

    private Task<WorkflowRun?> FindByKeyAsync(string key, CancellationToken cancellationToken)
        => db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken);

    private CreateRunResult Replay(WorkflowRun existing, string hash)
    {
        if (!string.Equals(existing.RequestHash, hash, StringComparison.Ordinal))
        {
            return new CreateRunResult(CreateRunOutcome.IdempotencyKeyConflict, existing);
        }

        WorkflowsLog.IdempotentReplay(logger, existing.Id);
        return new CreateRunResult(CreateRunOutcome.Replayed, existing);
    }

    /// <summary>PostgreSQL keeps microseconds: truncate so a value read back equals the one written (cursors rely on it).</summary>
    private DateTimeOffset NowToMicroseconds()
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
