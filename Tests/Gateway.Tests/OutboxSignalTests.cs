using Microsoft.Extensions.Time.Testing;
using Observability.Gateway.Outbox;

namespace Observability.Gateway.Tests;

public sealed class OutboxSignalTests
{
    [Fact]
    public async Task Notify_FourLoopsWaiting_OneWakesTheOthersWaitOutTheirPollInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var signal = new OutboxSignal();
        var pollInterval = TimeSpan.FromSeconds(1);
        var waiters = Enumerable.Range(0, 4).Select(_ => signal.WaitAsync(pollInterval, time, ct)).ToArray();

        signal.Notify();
        var first = await Task.WhenAny(waiters).WaitAsync(ct);
        time.Advance(pollInterval);
        var woken = await Task.WhenAll(waiters).WaitAsync(ct);

        Assert.True(await first);
        Assert.Equal(1, woken.Count(signalled => signalled));
    }

    [Fact]
    public async Task Notify_TwiceWhileNobodyWaits_CoalescesIntoOnePass()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var signal = new OutboxSignal();
        var pollInterval = TimeSpan.FromSeconds(1);

        signal.Notify();
        signal.Notify();
        var firstPass = await signal.WaitAsync(pollInterval, time, ct);
        var second = signal.WaitAsync(pollInterval, time, ct);
        time.Advance(pollInterval);

        Assert.True(firstPass);
        Assert.False(await second.WaitAsync(ct));
    }
}
