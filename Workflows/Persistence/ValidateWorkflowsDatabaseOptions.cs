using Microsoft.Extensions.Options;
using Npgsql;

namespace Observability.Workflows.Persistence;

/// <summary>Checks <see cref="WorkflowsDatabaseOptions"/> at start-up and names the configuration key at fault.</summary>
internal sealed class ValidateWorkflowsDatabaseOptions(string connectionName) : IValidateOptions<WorkflowsDatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowsDatabaseOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"ConnectionStrings:{connectionName} is required: the PostgreSQL connection string of the workflow database.");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"ConnectionStrings:{connectionName} is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (options.CommandTimeout < TimeSpan.FromSeconds(1) || options.CommandTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{WorkflowsDatabaseOptions.SectionName}:CommandTimeout must be between 00:00:01 and 00:10:00 (was {options.CommandTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
