namespace Observability.EndToEnd.Tests.Harness;

/// <summary>Polls a probe until its answer satisfies a condition or a deadline passes (never a fixed sleep).</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T?, string> describe, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var interval = TimeSpan.FromMilliseconds(10);
        T? last = default;
        try
        {
            while (true)
            {
                last = await probe(deadline.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(interval, deadline.Token);
                interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, 100));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Not done within {timeout}; last seen: {describe(last)}");
        }
    }
}
