using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Observability.Worker.Llm;
using Observability.Worker.Monitoring;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>
/// Turns a task into a routed, validated DAG of steps. The model is asked for the plan as JSON
/// (<c>{"steps":[{"id","description","dependsOn"}]}</c>); its reply is the plan when it parses and validates as
/// solvable. Otherwise (the call failed, the reply is not such JSON, or the plan cannot run) the deterministic plan
/// derived from the task's clauses is used, and the reason is recorded on the <c>workflow.plan</c> span
/// (<c>workflow.plan.source</c>, <c>workflow.plan.fallback_reason</c>, event <c>workflow.plan.fallback</c>) and in
/// the stored plan; the span also carries the plan's shape (<c>workflow.plan.steps</c>: each step's id, agent and
/// dependencies). The model call is a child span <c>chat {model}</c>.
/// </summary>
internal sealed partial class WorkflowPlanner(IChatClient llm)
{
    /// <summary>The instruction that asks the model for a plan.</summary>
    public const string Instruction =
        "Break the user's task into a small set of steps with dependencies. Reply with one JSON object only: " +
        "{\"steps\":[{\"id\":\"short-id\",\"description\":\"what to do\",\"dependsOn\":[\"ids of earlier steps\"]}]}.";

    /// <summary>The most steps a model's plan may have.</summary>
    public const int MaxSteps = 20;

    private const int MaxClauses = 3;
    private const int MaxIdLength = 64;

    public async Task<PlanOutcome> PlanAsync(RunExecution run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var activity = WorkerTelemetry.Source.StartActivity("workflow.plan");
        ChatResponse? response = null;
        string reason;
        try
        {
            response = await llm.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instruction), new ChatMessage(ChatRole.User, run.Task)],
                new ChatOptions { ModelId = run.Model, ResponseFormat = ChatResponseFormat.Json },
                cancellationToken).ConfigureAwait(false);
            if (TryParse(response.Text, out var proposed, out reason))
            {
                var routed = AgentRouter.Route(proposed with { Source = WorkflowPlan.FromModel }, run.Agent);
                var validation = PlanValidator.Validate(routed);
                if (validation.IsSolvable)
                {
                    Tag(activity, routed);
                    return new PlanOutcome(routed, validation, response);
                }

                reason = $"The model's plan cannot run: {string.Join(" ", validation.Problems)}";
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            reason = $"The planning call failed ({LlmFailure.ErrorType(e)}).";
        }

        var fallback = AgentRouter.Route(Derive(run.Task) with { Source = WorkflowPlan.FromFallback, FallbackReason = reason }, run.Agent);
        Tag(activity, fallback);
        return new PlanOutcome(fallback, PlanValidator.Validate(fallback), response);
    }

    /// <summary>Reads a model's plan; false with the reason when the text is not a usable plan.</summary>
    public static bool TryParse(string text, out WorkflowPlan plan, out string reason)
    {
        plan = new WorkflowPlan([]);
        try
        {
            using var document = JsonDocument.Parse(StripCodeFence(text));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("steps", out var steps)
                || steps.ValueKind != JsonValueKind.Array)
            {
                reason = "The model's reply has no \"steps\" array.";
                return false;
            }

            var count = steps.GetArrayLength();
            if (count is 0 or > MaxSteps)
            {
                reason = $"The model's plan has {count} steps (1 to {MaxSteps} allowed).";
                return false;
            }

            var parsed = new List<PlannedStep>(count);
            foreach (var step in steps.EnumerateArray())
            {
                if (step.ValueKind != JsonValueKind.Object
                    || !TryGetString(step, "id", out var id) || id.Length > MaxIdLength
                    || !TryGetString(step, "description", out var description))
                {
                    reason = $"Step {parsed.Count + 1} of the model's plan lacks an id (at most {MaxIdLength} characters) or a description.";
                    return false;
                }

                var dependsOn = new List<string>();
                if (step.TryGetProperty("dependsOn", out var dependencies) && dependencies.ValueKind == JsonValueKind.Array)
                {
                    foreach (var dependency in dependencies.EnumerateArray())
                    {
                        if (dependency.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(dependency.GetString()))
                        {
                            reason = $"Step '{id}' of the model's plan has a dependency that is not a step id.";
                            return false;
                        }

                        dependsOn.Add(dependency.GetString()!);
                    }
                }

                parsed.Add(new PlannedStep(id, description, dependsOn, "", ""));
            }

            plan = new WorkflowPlan(parsed);
            reason = "";
            return true;
        }
        catch (JsonException e)
        {
            reason = $"The model's reply is not JSON ({e.Message.Split('.')[0]}).";
            return false;
        }
    }

    /// <summary>The deterministic plan of <paramref name="task"/> (3–5 steps; agents are assigned by the router).</summary>
    public static WorkflowPlan Derive(string task)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        var clauses = ClauseSeparator().Split(task)
            .Select(c => c.Trim())
            .Where(c => c.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (clauses.Count > MaxClauses)
        {
            // Keep the first clauses apart and fold the rest into the last one.
            clauses = [.. clauses.Take(MaxClauses - 1), string.Join("; ", clauses.Skip(MaxClauses - 1))];
        }

        var steps = new List<PlannedStep> { new("analyze", $"Analyze the task: {Shorten(task)}", [], "", "") };
        var parts = clauses.Select((clause, i) => new PlannedStep($"part-{i + 1}", $"Work on: {Shorten(clause)}", ["analyze"], "", "")).ToList();
        steps.AddRange(parts);
        steps.Add(new PlannedStep("synthesize", "Synthesize the results into one answer", parts.Select(p => p.Id).ToArray(), "", ""));
        return new WorkflowPlan(steps);
    }

    private static void Tag(Activity? activity, WorkflowPlan plan)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("workflow.step.count", plan.Steps.Count);
        activity.SetTag("workflow.plan.source", plan.Source);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("workflow.plan.steps", string.Join("; ", plan.Steps.Select(s =>
                s.DependsOn.Count == 0 ? $"{s.Id} ({s.Agent})" : $"{s.Id} ({s.Agent}) after {string.Join(", ", s.DependsOn)}")));
        }

        if (plan.FallbackReason is { } reason)
        {
            activity.SetTag("workflow.plan.fallback_reason", reason);
            activity.AddEvent(new ActivityEvent("workflow.plan.fallback", tags: new ActivityTagsCollection { ["workflow.plan.fallback_reason"] = reason }));
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString()!.Trim() : "";
        return value.Length > 0;
    }

    /// <summary>Models often wrap JSON in a Markdown code fence; the fence is not part of the plan.</summary>
    private static string StripCodeFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var closing = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return firstLineEnd > 0 && closing > firstLineEnd ? trimmed[(firstLineEnd + 1)..closing] : trimmed;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];

    [GeneratedRegex(@"[.;!?\n]+|\bthen\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseSeparator();
}
