using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Observability.Worker.Events;
using Observability.Workflows.Messaging;

namespace Observability.Worker.Tests.Events;

public sealed class WorkflowEventWriterTests
{
    /// <summary>
    /// Payloads of the shapes the engine publishes, and of what needs escaping or exact number formatting. Dates with an
    /// offset are the one difference: written straight, their <c>+</c> is no longer escaped as <c>\u002B</c> (the old
    /// path escaped it when it wrote the parsed string again); both read as the same string.
    /// </summary>
    private static IEnumerable<(string Name, Func<JsonObject?> Create)> Payloads()
    {
        yield return ("none", () => null);
        yield return ("empty", () => new JsonObject());
        yield return ("queued", () => new JsonObject { ["queuedAt"] = new DateTimeOffset(2026, 12, 4, 3, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567), ["attempt"] = 1 });
        yield return ("text", () => new JsonObject
        {
            ["text"] = "quote \" backslash \\ line\nfeed tab\t <script>&'+` é 日本 😀 \u0001\u007f\u2028",
            ["na\"me é"] = "key needs escaping",
        });
        yield return ("numbers", () => new JsonObject
        {
            ["int"] = 42,
            ["long"] = long.MaxValue,
            ["negative"] = -7L,
            ["double"] = 0.1,
            ["third"] = 1.0 / 3,
            ["large"] = 1e300,
            ["decimal"] = 12.3450m,
            ["cost"] = 0.000123m,
            ["float"] = 1.5f,
            ["true"] = true,
            ["false"] = false,
            ["null"] = null,
        });
        yield return ("nested", () => new JsonObject
        {
            ["step"] = "step-1",
            ["steps"] = new JsonArray(new JsonObject { ["id"] = "a", ["dependsOn"] = new JsonArray() }, "x", 1, null, new JsonArray(2.5)),
            ["nested"] = new JsonObject { ["inner"] = new JsonObject { ["guid"] = Guid.Parse("0af76519-16cd-43dd-8448-eb211c80319c") } },
            ["node"] = JsonNode.Parse("""{"raw":"\u00e9\n","n":1.50}"""),
        });
    }

    [Fact]
    public void Write_EveryTypeAndPayload_SameBytesAsTheSourceGeneratedContextWithThePayloadAsJsonElement()
    {
        var runId = Guid.CreateVersion7();
        var timestamp = new DateTimeOffset(2026, 12, 4, 3, 30, 15, TimeSpan.Zero).AddTicks(1234567);
        foreach (var type in Enum.GetValues<WorkflowEventType>())
        {
            foreach (var (name, create) in Payloads())
            {
                var eventId = Guid.CreateVersion7(timestamp);
                var written = WorkflowEventWriter.Write(eventId, runId, 17, type, timestamp, create());

                // What the worker published before: the payload as a string, parsed back to a JsonElement.
                var payload = create();
                var element = payload is null ? (JsonElement?)null : JsonDocument.Parse(payload.ToJsonString()).RootElement.Clone();
                var expected = JsonSerializer.SerializeToUtf8Bytes(new WorkflowEvent(eventId, runId, 17, type, timestamp, element), WorkflowsJsonContext.Default.WorkflowEvent);
                if (name == "queued")
                {
                    expected = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(expected).Replace("\\u002B02:00", "+02:00", StringComparison.Ordinal));
                }

                Assert.True(expected.AsSpan().SequenceEqual(written), $"{type}/{name}:\n{Encoding.UTF8.GetString(expected)}\n{Encoding.UTF8.GetString(written)}");
            }
        }
    }

    [Fact]
    public void Write_DateWithOffset_PlusWrittenAsIsAndReadBackAsTheSameString()
    {
        var queuedAt = new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.FromHours(2));

        var written = WorkflowEventWriter.Write(Guid.CreateVersion7(), Guid.CreateVersion7(), 1, WorkflowEventType.Queued, DateTimeOffset.UtcNow, new JsonObject { ["queuedAt"] = queuedAt });

        Assert.Contains("\"queuedAt\":\"2026-12-04T03:00:00+02:00\"", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
        var payload = JsonSerializer.Deserialize(written, WorkflowsJsonContext.Default.WorkflowEvent)!.Payload!.Value;
        Assert.Equal(queuedAt, payload.GetProperty("queuedAt").GetDateTimeOffset());
    }

    [Fact]
    public void Write_LargePayloadThenSmall_EachWhole()
    {
        var runId = Guid.CreateVersion7();
        var text = new string('x', 1024 * 1024);

        var large = WorkflowEventWriter.Write(Guid.CreateVersion7(), runId, 1, WorkflowEventType.LlmCall, DateTimeOffset.UtcNow, new JsonObject { ["text"] = text });
        var small = WorkflowEventWriter.Write(Guid.CreateVersion7(), runId, 2, WorkflowEventType.Completed, DateTimeOffset.UtcNow, new JsonObject { ["status"] = "Completed" });

        Assert.Equal(text, JsonSerializer.Deserialize(large, WorkflowsJsonContext.Default.WorkflowEvent)!.Payload!.Value.GetProperty("text").GetString());
        var parsed = JsonSerializer.Deserialize(small, WorkflowsJsonContext.Default.WorkflowEvent)!;
        Assert.Equal(2, parsed.Sequence);
        Assert.Equal(WorkflowEventType.Completed, parsed.Type);
        Assert.Equal("Completed", parsed.Payload!.Value.GetProperty("status").GetString());
    }
}
