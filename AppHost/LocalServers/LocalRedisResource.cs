namespace Observability.AppHost.LocalServers;

/// <summary>
/// Redis as the machine's own <c>redis-server</c>, run by DCP as an executable: the same connection string as Aspire's
/// <c>RedisResource</c> (<c>host:port,password=...</c>), so a <c>WithReference</c> injects the same
/// <c>ConnectionStrings__{name}</c>.
/// </summary>
internal sealed class LocalRedisResource(string name, ParameterResource password, string dataDirectory)
    : ExecutableResource(name, "redis-server", dataDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    private EndpointReference? _primaryEndpoint;

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties()
    {
        yield return new("Host", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Host)}"));
        yield return new("Port", ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Port)}"));
        yield return new("Password", ReferenceExpression.Create($"{PasswordParameter}"));
    }
}
