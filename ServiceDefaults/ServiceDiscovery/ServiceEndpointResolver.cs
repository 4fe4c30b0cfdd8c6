using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves a logical service address from configuration exactly where Aspire writes it:
/// <c>services:{service}:{scheme}:{index}</c> (environment <c>services__gateway__http__0=http://127.0.0.1:5123</c>)
/// and, for a named endpoint, <c>services:{service}:{endpoint}:{index}</c>. Configuration is read on every request,
/// so a reloaded endpoint list is used at once; several endpoints are taken in turn (round-robin).
/// </summary>
internal sealed class ServiceEndpointResolver(IConfiguration configuration, ILogger<ServiceEndpointResolver> logger)
{
    private readonly ConcurrentDictionary<string, StrongBox<uint>> _cursors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The endpoint (scheme, host and port) to send to, or <see langword="null"/> when the host is a real network
    /// host with no configuration (a name with a dot, <c>localhost</c> or an IP address) and goes out unchanged.
    /// </summary>
    /// <exception cref="ServiceEndpointNotFoundException">A service name has no usable endpoint in configuration.</exception>
    public Uri? Resolve(ServiceAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var service = configuration.GetSection(address.SectionPath);
        if (!service.Exists())
        {
            if (address.EndpointName is null && IsNetworkHost(address.ServiceName))
            {
                ServiceDiscoveryLog.PassedThrough(logger, address.ServiceName);
                return null;
            }

            var key = $"{address.SectionPath}:{address.EndpointName ?? address.Schemes[0]}:0";
            throw new ServiceEndpointNotFoundException(
                $"Service '{address.ServiceName}' is not configured: configuration section '{address.SectionPath}' is missing. " +
                $"Set '{key}' (environment variable '{key.Replace(":", "__", StringComparison.Ordinal)}') to an address such as " +
                $"{address.Schemes[0]}://127.0.0.1:5000. Only host names with a dot, 'localhost' and IP addresses are sent unchanged without configuration.");
        }

        if (address.EndpointName is not null)
        {
            var named = service.GetSection(address.EndpointName);
            return Pick(address, named, ReadEndpoints(named, address.Schemes[0]))
                ?? throw new ServiceEndpointNotFoundException(
                    $"Service '{address.ServiceName}' has no endpoint named '{address.EndpointName}': set '{named.Path}:0'.");
        }

        foreach (var scheme in address.Schemes)
        {
            var section = service.GetSection(scheme);
            if (Pick(address, section, ReadEndpoints(section, scheme)) is { } endpoint)
            {
                return endpoint;
            }
        }

        var keys = string.Join("' or '", address.Schemes.Select(scheme => $"{address.SectionPath}:{scheme}:0"));
        throw new ServiceEndpointNotFoundException(
            $"Service '{address.ServiceName}' has no {string.Join(" or ", address.Schemes)} endpoint: set '{keys}'.");
    }

    private Uri? Pick(ServiceAddress address, IConfigurationSection section, List<Uri> endpoints)
    {
        if (endpoints.Count == 0)
        {
            return null;
        }

        var cursor = _cursors.GetOrAdd(section.Path, static _ => new StrongBox<uint>());
        var turn = Interlocked.Increment(ref cursor.Value) - 1;
        var endpoint = endpoints[(int)(turn % (uint)endpoints.Count)];
        ServiceDiscoveryLog.Resolved(logger, address.ServiceName, endpoint.Authority, endpoints.Count);
        return endpoint;
    }

    /// <summary>
    /// The endpoints of a section, in index order: either children (<c>:0</c>, <c>:1</c>, ...) or a single value.
    /// A value without a scheme (<c>127.0.0.1:5123</c>) takes the section's scheme.
    /// </summary>
    private List<Uri> ReadEndpoints(IConfigurationSection section, string defaultScheme)
    {
        var entries = section.GetChildren().ToList();
        if (entries.Count == 0 && section.Value is not null)
        {
            entries.Add(section);
        }

        var endpoints = new List<Uri>(entries.Count);
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                continue;
            }

            var value = entry.Value.Trim();
            if (TryParseEndpoint(value, out var endpoint) || TryParseEndpoint($"{defaultScheme}://{value}", out endpoint))
            {
                endpoints.Add(endpoint);
            }
            else
            {
                ServiceDiscoveryLog.InvalidEndpoint(logger, value, entry.Path);
            }
        }

        return endpoints;
    }

    private static bool TryParseEndpoint(string value, out Uri endpoint) =>
        Uri.TryCreate(value, UriKind.Absolute, out endpoint!)
        && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(endpoint.Host);

    private static bool IsNetworkHost(string host) =>
        host.Contains('.', StringComparison.Ordinal)
        || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out _);
}
