namespace Observability.Dashboard.Tests;

/// <summary>A cancellation token for one test: the run's token, cancelled after a deadline so no await hangs.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Start(int seconds = 60)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
