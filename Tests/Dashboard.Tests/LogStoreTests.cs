using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Tests;

/// <summary>Log caps: a chatty resource evicts its own records, never a quiet one's.</summary>
public sealed class LogStoreTests
{
    [Fact]
    public void Add_ChattyResourceOverCap_EvictsOnlyItsOwnRecords()
    {
        var drops = new DropCounters();
        var store = new LogStore(Options.Create(new StorageOptions { MaxLogs = 50 }), drops);
        var quiet = TraceStoreTests.Resource(1, "quiet");
        var chatty = TraceStoreTests.Resource(2, "chatty");
        store.Add(quiet, [.. Enumerable.Range(0, 10).Select(i => Log(i, "quiet " + i))]);
        for (var i = 0; i < 1_000; i++)
        {
            store.Add(chatty, [Log(i, "chatty " + i)]);
        }

        var counts = store.CountByResource();
        Assert.Equal(10, counts[1]);
        Assert.Equal(40, counts[2]);
        Assert.Equal(960, drops.EvictedLogs);
        var (newest, total) = store.Query(new LogQuery { Service = "chatty", Limit = 1 });
        Assert.Equal(40, total);
        Assert.Equal("chatty 999", newest[0].Body.ToString());
    }

    private static LogRecordEntry Log(int i, string body) =>
        new() { TimeUnixNano = 1_000 + i, SeverityNumber = 9, Body = AttributeValue.FromString(body) };
}
