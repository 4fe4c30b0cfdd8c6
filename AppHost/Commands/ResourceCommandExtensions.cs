using System.Net.Http.Json;

namespace Observability.AppHost.Commands;

/// <summary>Commands on the dashboard's resource pages that act on the running application over its own HTTP APIs.</summary>
internal static class ResourceCommandExtensions
{
    public const string SubmitSampleWorkflowCommandName = "submit-sample-workflow";
    public const string RedriveDeadLettersCommandName = "redrive-dead-letters";

    /// <summary>The session the sample workflow command submits to (the gateway's links show its runs).</summary>
    public const string SampleSessionId = "dashboard";

    /// <summary>"Submit sample workflow" on the gateway: POSTs a sample task to <c>/api/workflows</c>, session <see cref="SampleSessionId"/>.</summary>
    public static IResourceBuilder<ProjectResource> WithSubmitSampleWorkflowCommand(this IResourceBuilder<ProjectResource> builder) =>
        builder.WithHttpCommand(
            "/api/workflows",
            "Submit sample workflow",
            commandName: SubmitSampleWorkflowCommandName,
            commandOptions: new HttpCommandOptions
            {
                Description = "Submits a sample workflow through the gateway; its trace appears under Traces.",
                IconName = "Play",
                IsHighlighted = true,
                PrepareRequest = context =>
                {
                    context.Request.Content = JsonContent.Create(new SampleWorkflow("Summarise the three most useful signals of an observable service", SampleSessionId));
                    return Task.CompletedTask;
                },
            });

    /// <summary>"Re-drive dead letters" on the worker: POSTs <c>/api/dead-letters/redrive</c>, which queues every dead-lettered run again.</summary>
    public static IResourceBuilder<ProjectResource> WithRedriveDeadLettersCommand(this IResourceBuilder<ProjectResource> builder) =>
        builder.WithHttpCommand(
            "/api/dead-letters/redrive",
            "Re-drive dead letters",
            commandName: RedriveDeadLettersCommandName,
            commandOptions: new HttpCommandOptions
            {
                Description = "Queues every dead-lettered run again, continuing its original trace.",
                IconName = "ArrowRepeatAll",
                ConfirmationMessage = "Queue every dead-lettered run again?",
            });

    private sealed record SampleWorkflow(string Task, string SessionId);
}
