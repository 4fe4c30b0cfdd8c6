using System.Text;
using System.Text.Json;

namespace Observability.Worker.Llm;

/// <summary>
/// Prompt and reply as the JSON the GenAI conventions define for <c>gen_ai.input.messages</c> and
/// <c>gen_ai.output.messages</c>: <c>[{"role":"user","parts":[{"type":"text","content":"..."}]}]</c>.
/// </summary>
internal static class GenAiContent
{
    public static string Input(IReadOnlyList<LlmMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                WriteMessage(writer, message.Role, message.Content, finishReason: null);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Output(LlmResponse response)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            WriteMessage(writer, "assistant", response.Text, response.FinishReason);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, string content, string? finishReason)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray("parts");
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("content", content);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (finishReason is not null)
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
    }
}
