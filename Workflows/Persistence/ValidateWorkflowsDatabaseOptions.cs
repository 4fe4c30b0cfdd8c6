using Microsoft.Extensions.Options;

namespace Observability.Workflows.Persistence;

/// <summary>Checks <see cref="WorkflowsDatabaseOptions"/> at start-up (source-generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ValidateWorkflowsDatabaseOptions : IValidateOptions<WorkflowsDatabaseOptions>;
