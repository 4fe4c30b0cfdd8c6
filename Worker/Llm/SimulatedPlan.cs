using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Observability.Worker.Llm;

/// <summary>
/// The simulated model's answer to a JSON request: a plan of the task, as a planning model would give it —
/// <c>{"steps":[{"id","description","dependsOn"}]}</c>: a <c>scope</c> step, one <c>task-N</c> step per sentence of
/// the task (1–4, in parallel after <c>scope</c>) and a <c>review</c> step after them all.
/// </summary>
internal static class SimulatedPlan
{
    private const int MaxParts = 4;
    private static readonly char[] SentenceEnds = ['.', '!', '?', ';', '\n'];

    public static string Write(string task)
    {
        var parts = task.Split(SentenceEnds, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Length > 0)
            .Take(MaxParts)
            .ToList();
        if (parts.Count == 0)
        {
            parts.Add(task.Trim());
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("steps");
            WriteStep(json, "scope", $"Scope the task and list what it needs: {Shorten(task)}", []);
            var ids = new List<string>(parts.Count);
            for (var i = 0; i < parts.Count; i++)
            {
                var id = $"task-{i + 1}";
                ids.Add(id);
                WriteStep(json, id, $"Carry out: {Shorten(parts[i])}", ["scope"]);
            }

            WriteStep(json, "review", "Review the results and write the final answer", ids);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStep(Utf8JsonWriter json, string id, string description, IEnumerable<string> dependsOn)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("description", description);
        json.WriteStartArray("dependsOn");
        foreach (var dependency in dependsOn)
        {
            json.WriteStringValue(dependency);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];
}
