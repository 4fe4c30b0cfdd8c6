namespace Observability.TestInfrastructure.Otlp;

/// <summary>
/// A thread-safe, append-only list that lets tests await items: a waiter completes as soon as enough matching items
/// have arrived (no polling, no sleeping).
/// </summary>
internal sealed class CapturedItems<T>
    where T : class
{
    private readonly Lock _lock = new();
    private readonly List<T> _items = [];
    private readonly List<Waiter> _waiters = [];
    private readonly string _description;

    public CapturedItems(string description) => _description = description;

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock)
        {
            return [.. _items];
        }
    }

    public void AddRange(IEnumerable<T> items)
    {
        List<(Waiter Waiter, List<T> Matches)>? completed = null;
        lock (_lock)
        {
            _items.AddRange(items);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var matches = Matches(_waiters[i]);
                if (matches is not null)
                {
                    (completed ??= []).Add((_waiters[i], matches));
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (completed is not null)
        {
            foreach (var (waiter, matches) in completed)
            {
                waiter.Completion.TrySetResult(matches);
            }
        }
    }

    public async Task<IReadOnlyList<T>> WaitAsync(
        Func<T, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        var waiter = new Waiter(predicate, count);
        lock (_lock)
        {
            var matches = Matches(waiter);
            if (matches is not null)
            {
                return matches;
            }

            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var received = Snapshot();
            var shown = string.Join(Environment.NewLine + "  ", received.Take(30));
            throw new TimeoutException(
                $"No {count} matching {_description} arrived within {timeout}. Received {received.Count}:" +
                $"{Environment.NewLine}  {shown}");
        }
        finally
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private List<T>? Matches(Waiter waiter)
    {
        List<T>? matches = null;
        foreach (var item in _items)
        {
            if (waiter.Predicate(item))
            {
                (matches ??= []).Add(item);
            }
        }

        return matches is not null && matches.Count >= waiter.Count ? matches : null;
    }

    private sealed class Waiter(Func<T, bool> predicate, int count)
    {
        public Func<T, bool> Predicate { get; } = predicate;

        public int Count { get; } = count;

        public TaskCompletionSource<IReadOnlyList<T>> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
