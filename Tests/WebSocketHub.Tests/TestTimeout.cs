namespace Observability.WebSocketHub.Tests;

/// <summary>The test's cancellation token, also cancelled after a generous bound so no await can hang a run.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Start(int seconds = 30)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
