using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Observability.Worker.Events;
using Observability.Workflows.Alerts;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Tests.Events;

public sealed class WorkflowEventWriterTests
{
    private const string Awkward = "quote \" backslash \\ line\nfeed <script>&'+ é 😀 \u0001";
    private const string AwkwardJson = """quote \u0022 backslash \\ line\nfeed \u003Cscript\u003E\u0026\u0027\u002B \u00E9 \uD83D\uDE00 \u0001""";

    private static readonly DateTimeOffset Timestamp = new DateTimeOffset(2026, 12, 4, 3, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private static readonly WorkflowPlan Plan = new(
        [
            new PlannedStep("research", "Find sources", [], "researcher", "keyword: find"),
            new PlannedStep("write", Awkward, ["research", "a\"b"], "writer", "default"),
        ],
        WorkflowPlan.FromFallback,
        "The reply was not JSON.");

    /// <summary>
    /// Each payload the engine publishes, with values that need escaping, nulls and exact number formatting; the JSON
    /// the hub, the Gateway and the tests read (what the <see cref="JsonObject"/> payload before it wrote); and that
    /// <see cref="JsonObject"/>, built as the engine built it, to compare the bytes with.
    /// </summary>
    private static IEnumerable<(string Name, Func<WorkflowEventType, byte[]> Write, string Json, JsonObject Before)> Cases()
    {
        byte[] Write<T>(WorkflowEventType type, T payload)
            where T : struct, IWorkflowEventPayload => WorkflowEventWriter.Write(Guid.Empty, Guid.Empty, 17, type, Timestamp, payload);

        var queuedAt = new DateTimeOffset(2026, 12, 4, 3, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        yield return (
            "queued",
            type => Write(type, new QueuedPayload(queuedAt, 2, Resumed: true)),
            """{"queuedAt":"2026-12-04T03:00:00.1234567+02:00","attempt":2,"resumed":true}""",
            new JsonObject { ["queuedAt"] = queuedAt, ["attempt"] = 2, ["resumed"] = true });
        yield return (
            "planned, fallback",
            type => Write(type, new PlannedPayload(Plan, 1.0 / 3)),
            $$"""{"qualityScore":0.3333333333333333,"source":"fallback","steps":[{"id":"research","description":"Find sources","dependsOn":[],"agent":"researcher","explanation":"keyword: find"},{"id":"write","description":"{{AwkwardJson}}","dependsOn":["research","a\u0022b"],"agent":"writer","explanation":"default"}],"fallbackReason":"The reply was not JSON."}""",
            BeforePlan(Plan, 1.0 / 3));
        var noSource = new WorkflowPlan([new PlannedStep("only", "d", [], "writer", "e")]);
        yield return (
            "planned, no source",
            type => Write(type, new PlannedPayload(noSource, 0.9)),
            """{"qualityScore":0.9,"source":null,"steps":[{"id":"only","description":"d","dependsOn":[],"agent":"writer","explanation":"e"}]}""",
            BeforePlan(noSource, 0.9));
        yield return (
            "step started",
            type => Write(type, new StepStartedPayload("research", "researcher")),
            """{"step":"research","agent":"researcher"}""",
            new JsonObject { ["step"] = "research", ["agent"] = "researcher" });
        yield return (
            "llm call",
            type => Write(type, new LlmCallPayload("research", "gpt-4o-mini", 120, int.MaxValue, 0.000123m, 0.1)),
            """{"step":"research","model":"gpt-4o-mini","inputTokens":120,"outputTokens":2147483647,"cost":0.000123,"durationSeconds":0.1}""",
            new JsonObject
            {
                ["step"] = "research", ["model"] = "gpt-4o-mini", ["inputTokens"] = 120, ["outputTokens"] = int.MaxValue, ["cost"] = 0.000123m,
                ["durationSeconds"] = 0.1,
            });
        yield return (
            "llm call, no model",
            type => Write(type, new LlmCallPayload("research", null, 0, 0, 0m, 1e-7)),
            """{"step":"research","model":null,"inputTokens":0,"outputTokens":0,"cost":0,"durationSeconds":1E-07}""",
            new JsonObject { ["step"] = "research", ["model"] = null, ["inputTokens"] = 0, ["outputTokens"] = 0, ["cost"] = 0m, ["durationSeconds"] = 1e-7 });
        yield return (
            "step completed",
            type => Write(type, new StepCompletedPayload("write", 7, 9, 12.3450m)),
            """{"step":"write","status":"Completed","inputTokens":7,"outputTokens":9,"cost":12.3450}""",
            new JsonObject { ["step"] = "write", ["status"] = "Completed", ["inputTokens"] = 7, ["outputTokens"] = 9, ["cost"] = 12.3450m });
        yield return (
            "step failed",
            type => Write(type, new StepFailedPayload("write", Awkward)),
            $$"""{"step":"write","status":"Failed","error":"{{AwkwardJson}}"}""",
            new JsonObject { ["step"] = "write", ["status"] = "Failed", ["error"] = Awkward });
        yield return (
            "completed",
            type => Write(type, new RunFinishedPayload(WorkflowRunStatus.Completed, long.MaxValue, 5, 0.0105m, 2.5, 1, Reason: null)),
            """{"status":"Completed","inputTokens":9223372036854775807,"outputTokens":5,"cost":0.0105,"durationSeconds":2.5,"attempt":1}""",
            new JsonObject
            {
                ["status"] = "Completed", ["inputTokens"] = long.MaxValue, ["outputTokens"] = 5L, ["cost"] = 0.0105m, ["durationSeconds"] = 2.5, ["attempt"] = 1,
            });
        yield return (
            "failed",
            type => Write(type, new RunFinishedPayload(WorkflowRunStatus.Failed, 0, 0, 0m, 1e300, 3, Awkward)),
            $$"""{"status":"Failed","inputTokens":0,"outputTokens":0,"cost":0,"durationSeconds":1E+300,"attempt":3,"reason":"{{AwkwardJson}}"}""",
            new JsonObject
            {
                ["status"] = "Failed", ["inputTokens"] = 0L, ["outputTokens"] = 0L, ["cost"] = 0m, ["durationSeconds"] = 1e300, ["attempt"] = 3, ["reason"] = Awkward,
            });
        yield return (
            "cancelled",
            type => Write(type, new CancelledPayload()),
            """{"status":"Cancelled"}""",
            new JsonObject { ["status"] = "Cancelled" });
        var alertId = Guid.Parse("0af76519-16cd-43dd-8448-eb211c80319c");
        yield return (
            "alert",
            type => Write(type, new AlertPayload(AlertKind.CostPerWorkflow, 0.5, 0.75, alertId)),
            """{"kind":"CostPerWorkflow","threshold":0.5,"observedValue":0.75,"alertId":"0af76519-16cd-43dd-8448-eb211c80319c"}""",
            new JsonObject { ["kind"] = "CostPerWorkflow", ["threshold"] = 0.5, ["observedValue"] = 0.75, ["alertId"] = alertId });
        yield return (
            "alert, not stored",
            type => Write(type, new AlertPayload(AlertKind.ErrorRate, 0.1, 1.0 / 7, null)),
            """{"kind":"ErrorRate","threshold":0.1,"observedValue":0.14285714285714285}""",
            new JsonObject { ["kind"] = "ErrorRate", ["threshold"] = 0.1, ["observedValue"] = 1.0 / 7 });
    }

    [Fact]
    public void Write_EachPayload_ExactlyTheJsonTheJsonObjectPayloadWrote()
    {
        foreach (var (name, write, json, before) in Cases())
        {
            var written = JsonDocument.Parse(write(WorkflowEventType.StepCompleted)).RootElement.GetProperty("payload").GetRawText();

            Assert.True(json == written, $"{name}:\n{json}\n{written}");
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                before.WriteTo(writer);
            }

            Assert.True(Encoding.UTF8.GetString(buffer.ToArray()) == written, $"{name} before:\n{Encoding.UTF8.GetString(buffer.ToArray())}\n{written}");
        }
    }

    [Fact]
    public void Write_EveryTypeAndPayload_SameBytesAsTheSourceGeneratedContextWithThePayloadAsJsonElement()
    {
        foreach (var type in Enum.GetValues<WorkflowEventType>())
        {
            foreach (var (name, write, json, _) in Cases())
            {
                var written = write(type);

                // The event as the hub, the Gateway and the tests read it back, written again by the shared context.
                // Dates with an offset are the one difference: written straight, their + is not escaped as \u002B (the
                // context escapes it when it writes the string again); both read as the same string.
                using var payload = JsonDocument.Parse(json);
                var expected = JsonSerializer.SerializeToUtf8Bytes(
                    new WorkflowEvent(Guid.Empty, Guid.Empty, 17, type, Timestamp, payload.RootElement), WorkflowsJsonContext.Default.WorkflowEvent);
                if (name == "queued")
                {
                    expected = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(expected).Replace("\\u002B02:00", "+02:00", StringComparison.Ordinal));
                }

                Assert.True(expected.AsSpan().SequenceEqual(written), $"{type}/{name}:\n{Encoding.UTF8.GetString(expected)}\n{Encoding.UTF8.GetString(written)}");
            }
        }
    }

    [Fact]
    public void Write_Envelope_ExactJson()
    {
        var eventId = Guid.Parse("01938a5e-4f00-7abc-8def-0123456789ab");
        var runId = Guid.Parse("01938a5e-4e00-7000-8000-000000000001");

        var written = WorkflowEventWriter.Write(eventId, runId, 3, WorkflowEventType.StepStarted, Timestamp, new StepStartedPayload("research", "researcher"));

        Assert.Equal(
            """{"eventId":"01938a5e-4f00-7abc-8def-0123456789ab","runId":"01938a5e-4e00-7000-8000-000000000001","sequence":3,"type":"StepStarted","timestamp":"2026-12-04T03:30:15.1234567+00:00","payload":{"step":"research","agent":"researcher"}}""",
            Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void Write_DateWithOffset_PlusWrittenAsIsAndReadBackAsTheSameString()
    {
        var queuedAt = new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.FromHours(2));

        var written = WorkflowEventWriter.Write(Guid.CreateVersion7(), Guid.CreateVersion7(), 1, WorkflowEventType.Queued, DateTimeOffset.UtcNow, new QueuedPayload(queuedAt, 1, false));

        Assert.Contains("\"queuedAt\":\"2026-12-04T03:00:00+02:00\"", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
        var payload = JsonSerializer.Deserialize(written, WorkflowsJsonContext.Default.WorkflowEvent)!.Payload!.Value;
        Assert.Equal(queuedAt, payload.GetProperty("queuedAt").GetDateTimeOffset());
    }

    [Fact]
    public void Write_LargePayloadThenSmall_EachWhole()
    {
        var runId = Guid.CreateVersion7();
        var text = new string('x', 1024 * 1024);

        var large = WorkflowEventWriter.Write(Guid.CreateVersion7(), runId, 1, WorkflowEventType.StepCompleted, DateTimeOffset.UtcNow, new StepFailedPayload("write", text));
        var small = WorkflowEventWriter.Write(Guid.CreateVersion7(), runId, 2, WorkflowEventType.Cancelled, DateTimeOffset.UtcNow, new CancelledPayload());

        Assert.Equal(text, JsonSerializer.Deserialize(large, WorkflowsJsonContext.Default.WorkflowEvent)!.Payload!.Value.GetProperty("error").GetString());
        var parsed = JsonSerializer.Deserialize(small, WorkflowsJsonContext.Default.WorkflowEvent)!;
        Assert.Equal(2, parsed.Sequence);
        Assert.Equal(WorkflowEventType.Cancelled, parsed.Type);
        Assert.Equal("Cancelled", parsed.Payload!.Value.GetProperty("status").GetString());
    }

    /// <summary>The Planned payload as the engine built it before, a <see cref="JsonObject"/> per step.</summary>
    private static JsonObject BeforePlan(WorkflowPlan plan, double qualityScore)
    {
        var payload = new JsonObject
        {
            ["qualityScore"] = qualityScore,
            ["source"] = plan.Source,
            ["steps"] = new JsonArray([.. plan.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["description"] = s.Description,
                ["dependsOn"] = new JsonArray([.. s.DependsOn.Select(d => JsonValue.Create(d))]),
                ["agent"] = s.Agent,
                ["explanation"] = s.Explanation,
            })]),
        };
        if (plan.FallbackReason is { } reason)
        {
            payload["fallbackReason"] = reason;
        }

        return payload;
    }
}
