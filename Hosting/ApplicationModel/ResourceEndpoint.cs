using System.Globalization;

namespace Observability.Hosting.ApplicationModel;

/// <summary>A network endpoint of a resource; every replica gets its own port on 127.0.0.1.</summary>
/// <param name="Name">The endpoint's name (<c>http</c>, <c>tcp</c>): the scheme part of <c>services__{name}__{endpoint}__{index}</c>.</param>
/// <param name="Scheme">The URL scheme.</param>
/// <param name="FixedPort">The port to use when ports are not randomized and there is one replica; null allocates a free one.</param>
internal sealed record ResourceEndpoint(string Name, string Scheme, int? FixedPort)
{
    public const string Host = "127.0.0.1";

    /// <summary>The allocated port of each replica (set once, when the application is built).</summary>
    public IReadOnlyList<int> Ports { get; set; } = [];

    public int Port(int replica) => Ports.Count > replica
        ? Ports[replica]
        : throw new InvalidOperationException($"Endpoint '{Name}' has no port for replica {replica} (ports are allocated when the application is built).");

    public Uri Url(int replica) => new($"{Scheme}://{Host}:{Port(replica).ToString(CultureInfo.InvariantCulture)}");
}
