using Observability.EndToEnd.Tests.Harness;

namespace Observability.EndToEnd.Tests;

/// <summary>A client that reconnects with the id of the last event it received misses nothing and sees nothing twice.</summary>
[Trait("Category", "Integration")]
public sealed class ReconnectTests(PlatformFixture fixture)
{
    [Fact]
    public async Task Subscribe_ReconnectWithLastEventId_ReceivesTheRestWithoutGapOrDuplicate()
    {
        using var timeout = TestTimeout.Start();
        var platform = await fixture.SharedAsync(timeout.Token);
        var run = await platform.Api.SubmitAsync("collect the open incidents and write a status digest", timeout.Token);

        IReadOnlyList<HubFrame> before;
        await using (var first = await HubClient.SubscribeAsync(run, null, timeout.Token))
        {
            var seen = 0;
            before = await first.ReceiveEventsUntilAsync(f => f.IsEvent && ++seen == 2, timeout.Token);
            await first.CloseAsync(timeout.Token);
        }

        await using var second = await HubClient.SubscribeAsync(run, before[^1].Id, timeout.Token);
        var after = await second.ReceiveEventsUntilAsync(f => f.EventType is "Completed" or "Failed" or "Cancelled", timeout.Token);

        Assert.Equal(2, before.Count);
        Assert.NotEmpty(after);
        Assert.Equal(before[^1].Sequence + 1, after[0].Sequence);
        Assert.Empty(before.Select(e => e.Id).Intersect(after.Select(e => e.Id)));
        EventAssertions.AssertCompleteSequence([.. before, .. after], run.RunId);
        Assert.Equal("Completed", after[^1].EventType);
    }
}
