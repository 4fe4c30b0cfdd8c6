using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves a logical service address from configuration exactly where Aspire writes it:
/// <c>services:{service}:{scheme}:{index}</c> (environment <c>services__gateway__http__0=http://127.0.0.1:5123</c>)
/// and, for a named endpoint, <c>services:{service}:{endpoint}:{index}</c>. Several endpoints are taken in turn
/// (round-robin). What was read is kept until the configuration's reload token fires (a JSON file changed on disk
/// with <c>reloadOnChange</c>, <see cref="IConfigurationRoot.Reload"/>), so a changed endpoint list is used at once
/// and an unchanged one costs a dictionary lookup, not a walk over every configuration provider.
/// </summary>
internal sealed class ServiceEndpointResolver : IDisposable
{
    /// <summary>Distinct addresses remembered at most; beyond this (a crawler) each request reads configuration.</summary>
    private const int MaxCachedAddresses = 1024;

    private readonly IConfiguration _configuration;
    private readonly ILogger<ServiceEndpointResolver> _logger;
    private readonly IDisposable _reloadRegistration;
    private volatile ConcurrentDictionary<string, Resolution> _resolutions = NewCache();

    public ServiceEndpointResolver(IConfiguration configuration, ILogger<ServiceEndpointResolver> logger)
    {
        _configuration = configuration;
        _logger = logger;
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, () => _resolutions = NewCache());
    }

    /// <summary>
    /// The endpoint (scheme, host and port) to send to, or <see langword="null"/> when the host is a real network
    /// host with no configuration (a name with a dot, <c>localhost</c> or an IP address) and goes out unchanged.
    /// </summary>
    /// <exception cref="ServiceEndpointNotFoundException">A service name has no usable endpoint in configuration.</exception>
    public Uri? Resolve(ServiceAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var cache = _resolutions;
        var key = $"{string.Join('+', address.Schemes)}://{(address.EndpointName is null ? null : $"_{address.EndpointName}.")}{address.ServiceName}";
        if (!cache.TryGetValue(key, out var resolution))
        {
            resolution = Load(address);
            if (cache.Count < MaxCachedAddresses)
            {
                resolution = cache.GetOrAdd(key, resolution);
            }
        }

        if (resolution.Error is not null)
        {
            throw new ServiceEndpointNotFoundException(resolution.Error);
        }

        if (resolution.Endpoints.Count == 0)
        {
            ServiceDiscoveryLog.PassedThrough(_logger, address.ServiceName);
            return null;
        }

        var endpoint = resolution.Next();
        ServiceDiscoveryLog.Resolved(_logger, address.ServiceName, endpoint.Authority, resolution.Endpoints.Count);
        return endpoint;
    }

    public void Dispose() => _reloadRegistration.Dispose();

    private static ConcurrentDictionary<string, Resolution> NewCache() => new(StringComparer.OrdinalIgnoreCase);

    private Resolution Load(ServiceAddress address)
    {
        var service = _configuration.GetSection(address.SectionPath);
        if (!service.Exists())
        {
            if (address.EndpointName is null && IsNetworkHost(address.ServiceName))
            {
                return Resolution.PassThrough;
            }

            var key = $"{address.SectionPath}:{address.EndpointName ?? address.Schemes[0]}:0";
            return Resolution.Failed(
                $"Service '{address.ServiceName}' is not configured: configuration section '{address.SectionPath}' is missing. " +
                $"Set '{key}' (environment variable '{key.Replace(":", "__", StringComparison.Ordinal)}') to an address such as " +
                $"{address.Schemes[0]}://127.0.0.1:5000. Only host names with a dot, 'localhost' and IP addresses are sent unchanged without configuration.");
        }

        if (address.EndpointName is not null)
        {
            var named = service.GetSection(address.EndpointName);
            var endpoints = ReadEndpoints(named, address.Schemes[0]);
            return endpoints.Count > 0
                ? new Resolution(endpoints, null)
                : Resolution.Failed($"Service '{address.ServiceName}' has no endpoint named '{address.EndpointName}': set '{named.Path}:0'.");
        }

        foreach (var scheme in address.Schemes)
        {
            var endpoints = ReadEndpoints(service.GetSection(scheme), scheme);
            if (endpoints.Count > 0)
            {
                return new Resolution(endpoints, null);
            }
        }

        var keys = string.Join("' or '", address.Schemes.Select(scheme => $"{address.SectionPath}:{scheme}:0"));
        return Resolution.Failed($"Service '{address.ServiceName}' has no {string.Join(" or ", address.Schemes)} endpoint: set '{keys}'.");
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
                ServiceDiscoveryLog.InvalidEndpoint(_logger, value, entry.Path);
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

    /// <summary>
    /// What configuration said about one address: its endpoints with a round-robin cursor, no endpoints (pass
    /// through), or an error message.
    /// </summary>
    private sealed class Resolution(IReadOnlyList<Uri> endpoints, string? error)
    {
        public static readonly Resolution PassThrough = new([], null);

        private uint _turn;

        public IReadOnlyList<Uri> Endpoints { get; } = endpoints;

        public string? Error { get; } = error;

        public static Resolution Failed(string error) => new([], error);

        public Uri Next() => Endpoints[(int)((Interlocked.Increment(ref _turn) - 1) % (uint)Endpoints.Count)];
    }
}
