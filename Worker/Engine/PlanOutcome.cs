using Microsoft.Extensions.AI;
using Observability.Workflows.Runs;

namespace Observability.Worker.Engine;

/// <summary>The routed plan to execute, its validation, and the planning call's reply (null when the call itself failed).</summary>
internal sealed record PlanOutcome(WorkflowPlan Plan, PlanValidation Validation, ChatResponse? Response);
