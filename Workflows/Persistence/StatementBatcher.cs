using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Observability.Workflows.Persistence;

/// <summary>
/// Group commit across callers: the statements callers hand in while a batch is on its way wait together and go out as
/// the next <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction) as soon as it returns, at most
/// <see cref="WorkflowsDatabaseOptions.MaxBatchSize"/> at a time, one batch in flight. No timer: a lone statement under
/// light load goes at once. Each caller gets its own statement's result, once the batch committed.
/// </summary>
/// <remarks>
/// <para>
/// Statements of one batch run in the order they were handed in, in one transaction: a later one sees what an earlier one
/// changed (two step completions of one run), and each keeps its own compare-and-set conditions. Every statement must
/// return a result set (a <c>RETURNING</c> or <c>SELECT</c>, possibly empty): result sets are matched to callers by position.
/// </para>
/// <para>
/// Failures: a server error (severity <c>ERROR</c>) aborted the batch's transaction, so nothing of it was applied; its
/// statements are then run again one by one, so only the faulty one fails (with its own error). Any other failure (a
/// broken connection, a timeout) leaves every caller of the batch with that exception, the outcome unknown, as a lone
/// statement's caller would be. A caller cancelled while its statement waits is removed from the queue and it is never
/// sent; one cancelled after it was sent stops waiting, its outcome unknown (as a cancelled command's).
/// </para>
/// <para>
/// Spans: each statement has a client span of its own (<c>db.*</c> of the semantic conventions, with
/// <c>db.operation.batch.size</c> when it went with others) under the caller's context, so it stays in the caller's
/// trace; it lasts from hand-in to result. Npgsql's span of the batch is filtered out on the data source
/// (<see cref="IsSending"/>): it would be a root span of no run's trace carrying every statement's text.
/// </para>
/// </remarks>
internal sealed class StatementBatcher : IAsyncDisposable, IDisposable
{
    /// <summary>The ActivitySource of the statements' spans.</summary>
    public const string ActivitySourceName = "Observability.Workflows";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // Set in the send loop's own execution context (started with the flow suppressed), so only Npgsql calls made by the
    // loop see it.
    private static readonly AsyncLocal<bool> InSendLoop = new();

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<StatementBatcher> _logger;
    private readonly int _maxBatchSize;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly string? _database;
    private readonly string? _host;
    private readonly int _port;

    public StatementBatcher(NpgsqlDataSource dataSource, IOptions<WorkflowsDatabaseOptions> options, ILogger<StatementBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
        _maxBatchSize = options.Value.MaxBatchSize;
        var connection = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        (_database, _host, _port) = (connection.Database, connection.Host, connection.Port);
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(SendLoopAsync, CancellationToken.None);
        }
    }

    /// <summary>True inside the send loop: the data source's tracing leaves out Npgsql's span of the loop's batches.</summary>
    public static bool IsSending => InSendLoop.Value;

    /// <summary>
    /// Runs <paramref name="command"/> in the next batch; <paramref name="read"/> reads its result set (the reader is
    /// positioned on it; read its rows only). <paramref name="summary"/> names the span (<c>db.query.summary</c>).
    /// </summary>
    /// <exception cref="PostgresException">The statement failed on the server (it alone: the others of its batch were applied).</exception>
    /// <exception cref="NpgsqlException">The batch failed otherwise (connection, timeout): the outcome is unknown.</exception>
    /// <exception cref="OperationCanceledException">Cancelled: never sent if it was still waiting.</exception>
    public async Task<T> ExecuteAsync<T>(
        NpgsqlBatchCommand command, string summary, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        ArgumentNullException.ThrowIfNull(read);
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = StartActivity(command.CommandText, summary);
        var item = new Item<T>(command, read);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);

        using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((Item)state!).Cancel(token), item);
        try
        {
            var result = await item.Task.ConfigureAwait(false);
            if (activity is { IsAllDataRequested: true } && item.BatchSize > 1)
            {
                activity.SetTag("db.operation.batch.size", item.BatchSize);
            }

            return result;
        }
        catch (Exception e) when (activity is not null)
        {
            activity.AddException(e);
            var sqlState = (e as PostgresException)?.SqlState;
            if (sqlState is not null)
            {
                activity.SetTag("db.response.status_code", sqlState);
            }

            activity.SetTag("error.type", sqlState ?? e.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>Stops taking statements; those already handed in are still sent.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    /// <summary>Stops taking statements and waits until those already handed in were sent and answered.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private Activity? StartActivity(string queryText, string summary)
    {
        var activity = Source.StartActivity(summary, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "postgresql");
            activity.SetTag("db.namespace", _database);
            activity.SetTag("db.query.summary", summary);
            activity.SetTag("db.query.text", queryText);
            activity.SetTag("server.address", _host);
            if (_port != NpgsqlConnection.DefaultPort)
            {
                activity.SetTag("server.port", _port);
            }
        }

        return activity;
    }

    private async Task SendLoopAsync()
    {
        InSendLoop.Value = true;
        var batch = new List<Item>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var item))
            {
                if (item.TryTake())
                {
                    batch.Add(item);
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    /// <summary>Sends one batch and hands every caller its outcome; never throws.</summary>
    private async Task SendAsync(List<Item> batch)
    {
        foreach (var item in batch)
        {
            item.BatchSize = batch.Count;
        }

        try
        {
            await ExecuteAsync(batch, renew: false).ConfigureAwait(false);
            foreach (var item in batch)
            {
                item.Complete();
            }
        }
        catch (PostgresException e) when (batch.Count > 1 && IsStatementError(e))
        {
            // The transaction was aborted: nothing of the batch was applied. One by one, only the faulty statement fails.
            WorkflowsLog.BatchFailedRunningOneByOne(_logger, batch.Count, e.SqlState, e);
            foreach (var item in batch)
            {
                item.BatchSize = 1;
                try
                {
                    await ExecuteAsync([item], renew: true).ConfigureAwait(false);
                    item.Complete();
                }
                catch (Exception single)
                {
                    item.Fail(single);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var item in batch)
            {
                item.Fail(e);
            }
        }
    }

    /// <summary>
    /// Runs the statements as one batch and reads each one's result set; returns once the batch's transaction
    /// committed (the reader consumed to the end).
    /// </summary>
    private async Task ExecuteAsync(IReadOnlyList<Item> items, bool renew)
    {
        await using var batch = _dataSource.CreateBatch();
        foreach (var item in items)
        {
            batch.BatchCommands.Add(renew ? item.Renew() : item.Command);
        }

        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Statement {i} of the batch returned no result set; batched statements must return one.");
            }

            await items[i].ReadAsync(reader, CancellationToken.None).ConfigureAwait(false);
        }

        if (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The batch returned more result sets than it has statements.");
        }
    }

    /// <summary>An error of one statement that aborted the transaction and left the connection usable (not a cancellation or timeout).</summary>
    private static bool IsStatementError(PostgresException e)
        => e.InvariantSeverity == "ERROR" && e.SqlState != PostgresErrorCodes.QueryCanceled;

    /// <summary>A statement handed in: queued, then taken into a batch (or cancelled while queued: never sent).</summary>
    private abstract class Item(NpgsqlBatchCommand command)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Removed = 2;
        private int _state;

        public NpgsqlBatchCommand Command { get; private set; } = command;

        /// <summary>How many statements went in the batch that answered this one.</summary>
        public int BatchSize { get; set; }

        /// <summary>Queued → taken into a batch; false when its caller cancelled first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>The caller cancelled: removed if still queued (never sent); its wait ends either way.</summary>
        public void Cancel(CancellationToken cancellationToken)
        {
            Interlocked.CompareExchange(ref _state, Removed, Queued);
            SetCanceled(cancellationToken);
        }

        /// <summary>The same statement and parameters in a fresh command, for a batch of its own.</summary>
        public NpgsqlBatchCommand Renew()
        {
            var parameters = Command.Parameters.ToArray();
            Command.Parameters.Clear();
            var fresh = new NpgsqlBatchCommand(Command.CommandText);
            foreach (var parameter in parameters)
            {
                fresh.Parameters.Add(parameter);
            }

            Command = fresh;
            return fresh;
        }

        /// <summary>Reads this statement's result set (kept until <see cref="Complete"/>: the batch may still fail).</summary>
        public abstract Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken);

        /// <summary>The batch committed: hands the caller the result read.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);

        protected abstract void SetCanceled(CancellationToken cancellationToken);
    }

    private sealed class Item<T>(NpgsqlBatchCommand command, Func<NpgsqlDataReader, CancellationToken, Task<T>> read) : Item(command)
    {
        // Continuations run on the thread pool, not inline in the send loop, which goes on with the next batch.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
            => _result = await read(reader, cancellationToken).ConfigureAwait(false);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        protected override void SetCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
    }
}
