namespace Observability.TestInfrastructure.Polling;

/// <summary>
/// Waits for a condition by asking again (never a fixed sleep): the probe runs until its answer satisfies the
/// condition, with a short back-off between tries, bounded only by the caller's <see cref="CancellationToken"/>
/// (the test's timeout), whose cancellation ends the wait with the last answer in the message.
/// </summary>
public static class Poll
{
    /// <summary>Runs <paramref name="probe"/> until <paramref name="done"/> holds for its answer, then returns that answer.</summary>
    /// <exception cref="TimeoutException">The token was cancelled first; the message describes the last answer.</exception>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe, Func<T, bool> done, CancellationToken cancellationToken, Func<T?, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var interval = TimeSpan.FromMilliseconds(5);
        T? last = default;
        try
        {
            while (true)
            {
                last = await probe(cancellationToken).ConfigureAwait(false);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, 100));
            }
        }
        catch (OperationCanceledException exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The condition did not hold before the test's deadline; last answer: {(describe ?? (value => $"{value}"))(last)}", exception);
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> until it holds.</summary>
    public static Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(_ => Task.FromResult(condition()), done => done, cancellationToken, _ => what ?? "false");
    }
}
