using System.Text.Json;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Workflows.Tests;

public sealed class ContractTests
{
    [Fact]
    public void WorkflowEvent_RoundTrip_UsesCamelCaseAndEnumNames()
    {
        using var payload = JsonDocument.Parse("""{"stepKey":"s1","tokens":42}""");
        var original = new WorkflowEvent(Guid.NewGuid(), Guid.NewGuid(), 7, WorkflowEventType.StepCompleted, new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), payload.RootElement.Clone());

        var json = JsonSerializer.Serialize(original, WorkflowsJsonContext.Default.WorkflowEvent);
        var back = JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowEvent)!;

        Assert.Contains("\"type\":\"StepCompleted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"sequence\":7", json, StringComparison.Ordinal);
        Assert.Equal((original.EventId, original.RunId, original.Sequence, original.Type, original.Timestamp), (back.EventId, back.RunId, back.Sequence, back.Type, back.Timestamp));
        Assert.Equal(42, back.Payload!.Value.GetProperty("tokens").GetInt32());
    }

    [Fact]
    public void WorkflowJobMessage_RoundTrip_KeepsTraceContext()
    {
        var original = new WorkflowJobMessage(Guid.NewGuid(), 2, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tenant=acme");

        var json = JsonSerializer.Serialize(original, WorkflowsJsonContext.Default.WorkflowJobMessage);

        Assert.Contains("\"traceParent\":", json, StringComparison.Ordinal);
        Assert.Equal(original, JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowJobMessage));
    }

    [Fact]
    public void ComputeHash_FieldsShiftedAcrossBoundaries_Differ()
    {
        var a = new CreateRunRequest("s", "ab", Agent: "c");
        var b = new CreateRunRequest("s", "a", Agent: "bc");

        Assert.NotEqual(a.ComputeHash(), b.ComputeHash());
        Assert.Equal(a.ComputeHash(), (a with { TraceParent = "x", CorrelationId = "y" }).ComputeHash());
        Assert.NotEqual(a.ComputeHash(), (a with { Agent = null }).ComputeHash());
    }

    [Fact]
    public void RunPageCursor_EncodeThenDecode_RoundTrips()
    {
        var cursor = new RunPageCursor(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero).AddTicks(1230), Guid.NewGuid());

        Assert.True(RunPageCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("MTIz")]
    public void RunPageCursor_Garbage_IsRejected(string token)
    {
        Assert.False(RunPageCursor.TryDecode(token, out var decoded));
        Assert.Null(decoded);
    }
}
