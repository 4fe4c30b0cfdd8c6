namespace Observability.ServiceDefaults.Tests.Resilience;

/// <summary>The test's cancellation token, cancelled after a deadline so no await can hang a run.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Start(int seconds = 30)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
