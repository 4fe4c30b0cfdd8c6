namespace Observability.Worker.Tests;

/// <summary>A token cancelled by the test run or after the given seconds, whichever comes first.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Start(int seconds = 30)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
