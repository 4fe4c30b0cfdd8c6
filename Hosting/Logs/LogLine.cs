namespace Observability.Hosting.Logs;

/// <summary>One line a resource wrote, stamped when the host read it.</summary>
/// <param name="Timestamp">When the line was read.</param>
/// <param name="InstanceId">The replica that wrote it (<c>name-suffix</c>).</param>
/// <param name="IsError">True for standard error.</param>
/// <param name="Text">The line without its newline.</param>
public sealed record LogLine(DateTimeOffset Timestamp, string InstanceId, bool IsError, string Text);
