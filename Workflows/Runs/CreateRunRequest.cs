using System.Security.Cryptography;
using System.Text;

namespace Observability.Workflows.Runs;

/// <summary>A task submitted by a user, with the optional idempotency key and W3C context of the request.</summary>
public sealed record CreateRunRequest(
    string SessionId,
    string Task,
    string? Agent = null,
    string? Model = null,
    string? Mode = null,
    string? IdempotencyKey = null,
    string? CorrelationId = null,
    string? TraceParent = null,
    string? Baggage = null)
{
    /// <summary>
    /// SHA-256 (hex) of what the run is made of (session, task, agent, model, mode), each field length-prefixed so
    /// no two different requests share an encoding. Trace and correlation ids are per attempt, not content: excluded.
    /// </summary>
    public string ComputeHash()
    {
        var builder = new StringBuilder();
        foreach (var field in (string?[])[SessionId, Task, Agent, Model, Mode])
        {
            builder.Append(field is null ? "-1" : field.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
