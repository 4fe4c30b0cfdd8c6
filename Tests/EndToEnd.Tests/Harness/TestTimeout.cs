namespace Observability.EndToEnd.Tests.Harness;

/// <summary>The test's cancellation token, also cancelled after a bound so no await can hang a run.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Start(int seconds = 120)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
