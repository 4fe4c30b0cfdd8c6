using BenchmarkDotNet.Attributes;
using Observability.Worker.Events;
using Observability.Workflows.Messaging;
using Observability.Workflows.Runs;

namespace Observability.Worker.Benchmarks;

/// <summary>
/// The JSON of one five-step run's 18 events as the worker writes them (<see cref="WorkflowEventWriter"/>): Queued,
/// Planned, then StepStarted, LlmCall and StepCompleted per step, then Completed, each payload built as the engine
/// builds it. Time and bytes allocated per run; the event ids are fixed (they are not what is measured here).
/// </summary>
[MemoryDiagnoser]
public class RunEventsBenchmarks
{
    private static readonly Guid RunId = Guid.Parse("01938a5e-4e00-7000-8000-000000000001");
    private static readonly Guid EventId = Guid.Parse("01938a5e-4f00-7abc-8def-0123456789ab");
    private static readonly DateTimeOffset CreatedAt = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly WorkflowPlan _plan = new(
        [
            Step("research-1", "Research the market for solar panels.", [], "researcher", "research"),
            Step("write-2", "Write a summary of the findings.", ["research-1"], "writer", "write"),
            Step("draft-3", "Then draft a recommendation.", ["write-2"], "writer", "draft"),
            Step("review-4", "Review the recommendation.", ["draft-3"], "reviewer", "review"),
            Step("summarize-5", "Summarize the results.", ["research-1", "write-2", "draft-3", "review-4"], "writer", "summarize"),
        ],
        WorkflowPlan.FromModel);

    /// <summary>The bytes of the run's 18 events.</summary>
    [Benchmark]
    public int WriteRunEvents()
    {
        var sequence = 0L;
        var bytes = Write(ref sequence, WorkflowEventType.Queued, new QueuedPayload(CreatedAt, 1, Resumed: false));
        bytes += Write(ref sequence, WorkflowEventType.Planned, new PlannedPayload(_plan, 0.92));
        foreach (var step in _plan.Steps)
        {
            bytes += Write(ref sequence, WorkflowEventType.StepStarted, new StepStartedPayload(step.Id, step.Agent));
            bytes += Write(ref sequence, WorkflowEventType.LlmCall, new LlmCallPayload(step.Id, "gpt-4o-mini", 84, 212, 0.0001398m, 0.0004567));
            bytes += Write(ref sequence, WorkflowEventType.StepCompleted, new StepCompletedPayload(step.Id, 84, 212, 0.0001398m));
        }

        bytes += Write(ref sequence, WorkflowEventType.Completed, new RunFinishedPayload(WorkflowRunStatus.Completed, 520, 1160, 0.000774m, 0.0123, 1, Reason: null));
        return bytes;
    }

    private static int Write<TPayload>(ref long sequence, WorkflowEventType type, TPayload payload)
        where TPayload : struct, IWorkflowEventPayload
        => WorkflowEventWriter.Write(EventId, RunId, ++sequence, type, CreatedAt, payload).Length;

    private static PlannedStep Step(string id, string description, string[] dependsOn, string agent, string keyword)
        => new(id, description, dependsOn, agent, $"The step mentions '{keyword}', which the {agent} agent handles.");
}
