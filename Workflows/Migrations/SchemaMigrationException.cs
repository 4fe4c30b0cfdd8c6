namespace Observability.Workflows.Migrations;

/// <summary>The database's recorded schema history disagrees with the scripts this build carries.</summary>
public sealed class SchemaMigrationException : Exception
{
    public SchemaMigrationException()
    {
    }

    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
