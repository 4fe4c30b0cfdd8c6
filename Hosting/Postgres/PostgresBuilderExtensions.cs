using Observability.Hosting.ApplicationModel;

namespace Observability.Hosting.Postgres;

/// <summary>Adds PostgreSQL servers and databases.</summary>
public static class PostgresBuilderExtensions
{
    /// <summary>Adds a PostgreSQL server; the superuser password is the parameter <c>{name}-password</c> (generated once per user).</summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var password = builder.AddGeneratedPassword($"{name}-password");
        return builder.AddResource(new PostgresServerResource(name, password.Resource));
    }

    /// <summary>Adds a database to the server, created when the server is healthy; <paramref name="databaseName"/> defaults to <paramref name="name"/>.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ApplicationBuilder.AddResource(new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource));
    }
}
