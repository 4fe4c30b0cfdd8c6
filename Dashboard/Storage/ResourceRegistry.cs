using Microsoft.Extensions.Options;
using Observability.Dashboard.Configuration;

namespace Observability.Dashboard.Storage;

/// <summary>Every resource seen, keyed by <c>service.name</c> + <c>service.instance.id</c>; bounded by <c>Dashboard:Storage:MaxResources</c>.</summary>
internal sealed class ResourceRegistry(IOptions<StorageOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Service, string? Instance), TelemetryResource> _resources = [];
    private readonly List<TelemetryResource> _byId = [];
    private readonly int _maxResources = options.Value.MaxResources;

    /// <summary>The resource these attributes name, registering it on first sight; null when the registry is full.</summary>
    public TelemetryResource? GetOrAdd(TelemetryAttribute[] attributes)
    {
        var service = TelemetryAttribute.Find(attributes, "service.name")?.ToString();
        if (string.IsNullOrEmpty(service))
        {
            service = TelemetryResource.UnknownService;
        }

        var instance = TelemetryAttribute.Find(attributes, "service.instance.id")?.ToString();
        if (string.IsNullOrEmpty(instance))
        {
            instance = null;
        }

        lock (_lock)
        {
            if (_resources.TryGetValue((service, instance), out var resource))
            {
                return resource;
            }

            if (_resources.Count >= _maxResources)
            {
                return null;
            }

            resource = new TelemetryResource(_byId.Count + 1, service, instance, attributes);
            _resources.Add((service, instance), resource);
            _byId.Add(resource);
            return resource;
        }
    }

    public TelemetryResource? Find(int id)
    {
        lock (_lock)
        {
            return id >= 1 && id <= _byId.Count ? _byId[id - 1] : null;
        }
    }

    public IReadOnlyList<TelemetryResource> All()
    {
        lock (_lock)
        {
            return [.. _byId];
        }
    }
}
