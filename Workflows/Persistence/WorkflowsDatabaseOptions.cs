namespace Observability.Workflows.Persistence;

/// <summary>
/// The workflow database. The connection string comes from <c>ConnectionStrings:{name}</c> (Aspire's convention,
/// name <c>workflows</c> by default); the rest from the <c>Workflows:Database</c> section.
/// </summary>
public sealed class WorkflowsDatabaseOptions
{
    /// <summary>The configuration section of the settings other than the connection string.</summary>
    public const string SectionName = "Workflows:Database";

    /// <summary>The Npgsql connection string (<c>ConnectionStrings:workflows</c>). Required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether start-up applies pending schema migrations (<c>Workflows:Database:ApplyMigrationsAtStartup</c>). Default true.</summary>
    public bool ApplyMigrationsAtStartup { get; set; } = true;

    /// <summary>How long one database command may run (<c>Workflows:Database:CommandTimeout</c>). Default 30 s; 1 s to 10 min.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
