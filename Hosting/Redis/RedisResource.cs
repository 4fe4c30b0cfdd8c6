using System.Globalization;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Health;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Processes;

namespace Observability.Hosting.Redis;

/// <summary>
/// A Redis server with a password and no persistence (a cache): local <c>redis-server</c>, or the <c>redis</c> image
/// when a container engine answers. Connection string as Aspire writes it: <c>host:port,password=...</c>.
/// </summary>
public sealed class RedisResource : Resource, IResourceWithConnectionString
{
    private const string Image = "docker.io/library/redis:7.4";

    internal RedisResource(string name, ParameterResource password)
        : base(name)
    {
        Password = password;
        Endpoints.Add(new ResourceEndpoint("tcp", "tcp", FixedPort: null));
    }

    /// <summary>The password (<c>requirepass</c>).</summary>
    public ParameterResource Password { get; }

    private int Port => Endpoint("tcp").Port(0);

    /// <inheritdoc />
    public string GetConnectionString() => $"{ResourceEndpoint.Host}:{Port.ToString(CultureInfo.InvariantCulture)},password={Password.Value}";

    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetConnectionProperties()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        yield return new("HOST", ResourceEndpoint.Host);
        yield return new("PORT", port);
        yield return new("PASSWORD", Password.Value);
        yield return new("URI", $"redis://:{Uri.EscapeDataString(Password.Value)}@{ResourceEndpoint.Host}:{port}");
    }

    internal override async Task<IResourceInstance> StartInstanceAsync(ReplicaContext context, CancellationToken cancellationToken)
    {
        var runtime = await context.Host.Runtimes.SelectAsync("redis-server", ExecutableFinder.Find("redis-server"), "redis-server", cancellationToken).ConfigureAwait(false);
        var directory = context.Host.StateDirectoryFor(Name);
        var port = context.Port("tcp").ToString(CultureInfo.InvariantCulture);
        var spec = runtime.Container is { } container
            ? new ProcessSpec(
                container.Executable,
                ["run", "--rm", "--name", context.InstanceId, "-p", $"{ResourceEndpoint.Host}:{port}:6379", "-e", "REDIS_PASSWORD", Image,
                 "sh", "-c", "exec redis-server --requirepass \"$REDIS_PASSWORD\" --save '' --appendonly no"],
                directory,
                new Dictionary<string, string?> { ["REDIS_PASSWORD"] = Password.Value })
            : new ProcessSpec(
                runtime.LocalBinary!,
                // '-' reads the password from standard input, so it never shows on the command line.
                ["-", "--port", port, "--bind", ResourceEndpoint.Host, "--dir", directory, "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no"],
                directory,
                new Dictionary<string, string?>())
            {
                StandardInput = $"requirepass {Password.Value}\n",
            };
        return await context.Host.Launcher.StartAsync(spec, context.Log, context.InstanceId).ConfigureAwait(false);
    }

    internal override IHealthProbe CreateHealthProbe(ReplicaContext context) =>
        new RedisPingProbe(ResourceEndpoint.Host, context.Port("tcp"), Password.Value);
}
