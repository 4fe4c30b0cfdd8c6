namespace Observability.AppHost.LocalServers;

/// <summary>
/// PostgreSQL as the machine's own <c>postgres</c> (Debian's <c>/usr/lib/postgresql/{version}/bin</c>), run by DCP as an
/// executable on a cluster kept in the per-user data directory; as root it runs as the <c>postgres</c> user. Its
/// connection string has the shape of Aspire's <c>PostgresServerResource</c>.
/// </summary>
internal sealed class LocalPostgresServerResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";
    private EndpointReference? _primaryEndpoint;

    /// <summary>The superuser's password, set when the cluster is created.</summary>
    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The cluster (<c>PGDATA</c>).</summary>
    public string ClusterDirectory => Path.Combine(WorkingDirectory, "data");

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>Databases to create once the server answers, by resource name.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties()
    {
        yield return new("Host", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Host)}"));
        yield return new("Port", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Port)}"));
        yield return new("Username", ReferenceExpression.Create($"{UserName}"));
        yield return new("Password", ReferenceExpression.Create($"{PasswordParameter}"));
    }
}
