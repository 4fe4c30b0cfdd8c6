using System.Text;
using Observability.Workflows.Runs;

namespace Observability.Gateway.Apis;

/// <summary>Field-level checks of a submit; each failure is keyed by the JSON field (or header) it is about.</summary>
internal static class SubmitWorkflowValidator
{
    /// <summary>The session used when a submit names none.</summary>
    public const string DefaultSessionId = "default";

    /// <summary>The longest session id, agent, model or mode accepted.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest <c>Idempotency-Key</c> accepted.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The execution modes a run may ask for.</summary>
    public static readonly IReadOnlySet<string> Modes = new HashSet<string>(["auto", "sequential", "parallel"], StringComparer.Ordinal);

    public static Dictionary<string, string[]> Validate(SubmitWorkflowRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Task))
        {
            errors["task"] = ["The task is required."];
        }
        else if (StorableText.FindProblem(request.Task) is { } problem)
        {
            errors["task"] = [$"The task must be text without control characters other than tab and line breaks; it has {problem}."];
        }
        else if (Encoding.UTF8.GetByteCount(request.Task) > WorkflowRun.MaxTaskBytes)
        {
            errors["task"] = [$"The task must be at most {WorkflowRun.MaxTaskBytes} UTF-8 bytes."];
        }

        CheckName(errors, "sessionId", request.SessionId, allowSlash: false);
        CheckName(errors, "agent", request.Agent, allowSlash: false);
        CheckName(errors, "model", request.Model, allowSlash: true);
        if (request.Mode is not null && !Modes.Contains(request.Mode))
        {
            errors["mode"] = [$"The mode must be one of: {string.Join(", ", Modes.Order(StringComparer.Ordinal))}."];
        }

        if (idempotencyKey is not null
            && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || !idempotencyKey.All(c => c is > ' ' and < '\u007f')))
        {
            errors["Idempotency-Key"] = [$"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters."];
        }

        return errors;
    }

    /// <summary>
    /// Checks an optional name (session id, agent, model): 1 to <see cref="MaxNameLength"/> letters, digits and
    /// <c>- _ . :</c> (and <c>/</c> when <paramref name="allowSlash"/>). Returns the message, or null when valid.
    /// </summary>
    public static string? CheckName(string field, string? value, bool allowSlash)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length is 0 or > MaxNameLength)
        {
            return $"The {field} must be 1 to {MaxNameLength} characters.";
        }

        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' || (allowSlash && c == '/')))
        {
            return allowSlash
                ? $"The {field} may contain only letters, digits and - _ . : /."
                : $"The {field} may contain only letters, digits and - _ . :.";
        }

        return null;
    }

    private static void CheckName(Dictionary<string, string[]> errors, string field, string? value, bool allowSlash)
    {
        if (CheckName(field, value, allowSlash) is { } message)
        {
            errors[field] = [message];
        }
    }
}
