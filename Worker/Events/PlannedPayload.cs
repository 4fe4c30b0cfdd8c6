using System.Text.Json;
using Observability.Workflows.Runs;

namespace Observability.Worker.Events;

/// <summary>Planned: the plan's quality score, its source, its steps (id, description, dependencies, agent, routing explanation) and, for a fallback plan, why.</summary>
internal readonly record struct PlannedPayload(WorkflowPlan Plan, double QualityScore) : IWorkflowEventPayload
{
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteNumber(PayloadNames.QualityScore, QualityScore);
        writer.WriteString(PayloadNames.Source, Plan.Source);
        writer.WriteStartArray(PayloadNames.Steps);
        foreach (var step in Plan.Steps)
        {
            writer.WriteStartObject();
            writer.WriteString(PayloadNames.Id, step.Id);
            writer.WriteString(PayloadNames.Description, step.Description);
            writer.WriteStartArray(PayloadNames.DependsOn);
            foreach (var dependency in step.DependsOn)
            {
                writer.WriteStringValue(dependency);
            }

            writer.WriteEndArray();
            writer.WriteString(PayloadNames.Agent, step.Agent);
            writer.WriteString(PayloadNames.Explanation, step.Explanation);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (Plan.FallbackReason is { } reason)
        {
            writer.WriteString(PayloadNames.FallbackReason, reason);
        }
    }
}
