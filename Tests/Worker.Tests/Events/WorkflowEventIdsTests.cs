using Observability.Worker.Events;

namespace Observability.Worker.Tests.Events;

public sealed class WorkflowEventIdsTests
{
    [Fact]
    public void New_Timestamp_Version7WithItsMillisecondsAndTheRfcVariant()
    {
        var timestamp = new DateTimeOffset(2026, 12, 4, 21, 30, 15, 123, TimeSpan.FromHours(1)).AddTicks(4567);

        var id = WorkflowEventIds.New(timestamp);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var bytes = id.ToByteArray(bigEndian: true);
        Assert.Equal(timestamp.ToUnixTimeMilliseconds(), ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5]);
    }

    [Fact]
    public void New_Timestamp_SameLayoutAsGuidCreateVersion7OutsideTheRandomBits()
    {
        var timestamp = new DateTimeOffset(2026, 12, 4, 21, 30, 15, 999, TimeSpan.Zero);
        // Time (48 bits), version (4), variant (2): everything but the 74 random bits.
        byte[] fixedBits = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0x00, 0xC0, 0, 0, 0, 0, 0, 0, 0];

        var ours = WorkflowEventIds.New(timestamp).ToByteArray(bigEndian: true);
        var runtime = Guid.CreateVersion7(timestamp).ToByteArray(bigEndian: true);

        Assert.Equal(runtime.Zip(fixedBits, (b, m) => b & m), ours.Zip(fixedBits, (b, m) => b & m));
    }

    [Fact]
    public void New_ManyIdsInOneMillisecond_AllDifferent()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddDays(20_000);

        var ids = Enumerable.Range(0, 100_000).Select(_ => WorkflowEventIds.New(timestamp)).ToHashSet();

        Assert.Equal(100_000, ids.Count);
    }

    [Fact]
    public async Task New_ManyIdsOnSeveralThreadsEachDrawingManyTimes_AllDifferent()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddDays(20_000);
        const int perThread = 10 * WorkflowEventIds.IdsPerDraw;

        var threads = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(
            () => Enumerable.Range(0, perThread).Select(_ => WorkflowEventIds.New(timestamp)).ToList(), TaskCreationOptions.LongRunning));
        var ids = (await Task.WhenAll(threads)).SelectMany(list => list).ToHashSet();

        Assert.Equal(8 * perThread, ids.Count);
    }

    [Fact]
    public void New_ConsecutiveMilliseconds_OrderedByTime()
    {
        var timestamp = DateTimeOffset.UnixEpoch.AddDays(20_000);

        var ids = Enumerable.Range(0, 1_000).Select(i => WorkflowEventIds.New(timestamp.AddMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.Order());
    }

    [Fact]
    public void New_BeforeTheUnixEpoch_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowEventIds.New(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
    }
}
