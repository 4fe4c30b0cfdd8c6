namespace Observability.Worker.Llm;

/// <summary>One chat message: a role (<c>system</c>, <c>user</c>, <c>assistant</c>) and its text.</summary>
internal sealed record LlmMessage(string Role, string Content)
{
    public static LlmMessage System(string content) => new("system", content);

    public static LlmMessage User(string content) => new("user", content);
}
