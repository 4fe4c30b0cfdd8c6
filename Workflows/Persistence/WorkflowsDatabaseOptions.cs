using System.ComponentModel.DataAnnotations;

namespace Observability.Workflows.Persistence;

/// <summary>
/// The workflow database. The connection string comes from <c>ConnectionStrings:workflows</c> (Aspire's convention);
/// the rest from the <c>Workflows:Database</c> section.
/// </summary>
public sealed class WorkflowsDatabaseOptions
{
    /// <summary>The configuration section of the settings other than the connection string.</summary>
    public const string SectionName = "Workflows:Database";

    /// <summary>The Npgsql connection string (<c>ConnectionStrings:workflows</c>). Required.</summary>
    [Required(ErrorMessage = "ConnectionStrings:" + WorkflowsDatabaseExtensions.ConnectionName + " is required: the PostgreSQL connection string of the workflow database.")]
    public string? ConnectionString { get; set; }

    /// <summary>Whether start-up applies pending EF Core migrations (<c>Workflows:Database:ApplyMigrationsAtStartup</c>). Default true.</summary>
    public bool ApplyMigrationsAtStartup { get; set; } = true;

    /// <summary>How long one database command may run (<c>Workflows:Database:CommandTimeout</c>). Default 30 s; 1 s to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most statements of the worker's hot path sent as one batch, one round trip and one transaction
    /// (<c>Workflows:Database:MaxBatchSize</c>): those handed in while the previous batch is on its way go together.
    /// Default 64; 1 to 1,024.
    /// </summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 64;
}
