namespace Observability.Workflows.Messaging;

/// <summary>Names of the streams the workflow domain writes to through the outbox.</summary>
public static class WorkflowStreams
{
    /// <summary>Jobs for workers: one <see cref="WorkflowJobMessage"/> per run to execute.</summary>
    public const string Jobs = "workflows.jobs";
}
