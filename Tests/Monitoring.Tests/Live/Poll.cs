namespace Observability.Monitoring.Tests.Live;

/// <summary>Polls a condition until it holds or a deadline passes; never a sleep-then-assert.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var last = default(T);
        try
        {
            while (true)
            {
                last = await probe(cts.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Not reached within {timeout}: {(last is null ? "no answer" : describe(last))}");
        }
    }
}
