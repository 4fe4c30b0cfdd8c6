using System.Diagnostics;
using Observability.Workflows.Messaging;

namespace Observability.Workflows.Tests.Messaging;

public sealed class MessageTraceContextTests
{
    [Fact]
    public void Extract_BaggageWithPropertiesAndEncoding_Decoded()
    {
        var context = MessageTraceContext.Extract(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            " correlation.id = abc%20123 ;prop=1, tenant=acme,broken,=nokey");

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", context.ActivityContext.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", context.ActivityContext.SpanId.ToHexString());
        Assert.True(context.ActivityContext.IsRemote);
        Assert.Equal("abc 123", context.Baggage.GetBaggage("correlation.id"));
        Assert.Equal("acme", context.Baggage.GetBaggage("tenant"));
        Assert.Equal(2, context.Baggage.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-traceparent")]
    public void Extract_MissingOrMalformedTraceParent_NoParent(string? traceParent)
    {
        var context = MessageTraceContext.Extract(traceParent, null);

        Assert.Equal(default, context.ActivityContext);
        Assert.Equal(0, context.Baggage.Count);
    }

    [Fact]
    public void Inject_Span_WritesItsW3CTraceParentThatExtractReads()
    {
        using var span = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        span.ActivityTraceFlags = ActivityTraceFlags.Recorded;

        var (traceParent, _) = MessageTraceContext.Inject(span);

        Assert.Equal($"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-01", traceParent);
        Assert.Equal(span.SpanId, MessageTraceContext.Extract(traceParent, null).ActivityContext.SpanId);
        Assert.Equal((null, null), MessageTraceContext.Inject(null));
    }
}
