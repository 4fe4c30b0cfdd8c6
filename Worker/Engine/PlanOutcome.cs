using Observability.Worker.Llm;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>The routed plan to execute, its validation, and the planning call (null when the call itself failed).</summary>
internal sealed record PlanOutcome(WorkflowPlan Plan, PlanValidation Validation, LlmResponse? Response);
