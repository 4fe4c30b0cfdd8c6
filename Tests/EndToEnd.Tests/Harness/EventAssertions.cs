using System.Globalization;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>Checks on a run's event frames as a client received them.</summary>
internal static class EventAssertions
{
    /// <summary>Sequences are exactly 1..n in arrival order (no gap, no duplicate) and stream ids strictly increase.</summary>
    public static void AssertCompleteSequence(IReadOnlyList<HubFrame> events, Guid runId)
    {
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(runId, e.EventRunId));
        var sequences = events.Select(e => e.Sequence).ToArray();
        Assert.True(
            sequences.SequenceEqual(Enumerable.Range(1, events.Count).Select(i => (long)i)),
            $"Sequences are not 1..{events.Count}: {string.Join(",", sequences)}");
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(
                CompareStreamIds(events[i - 1].Id!, events[i].Id!) < 0,
                $"Stream ids do not increase: {events[i - 1].Id} then {events[i].Id}");
        }
    }

    /// <summary>Orders two Redis stream ids (<c>milliseconds-sequence</c>).</summary>
    public static int CompareStreamIds(string left, string right)
    {
        var (leftMs, leftSeq) = Parse(left);
        var (rightMs, rightSeq) = Parse(right);
        return leftMs != rightMs ? leftMs.CompareTo(rightMs) : leftSeq.CompareTo(rightSeq);
    }

    private static (long Milliseconds, long Sequence) Parse(string id)
    {
        var parts = id.Split('-');
        Assert.True(parts.Length == 2, $"'{id}' is not a stream id.");
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
