using System.Globalization;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Logs;

namespace Observability.Hosting.Orchestration;

/// <summary>One replica of a resource: its index, its instance id (<c>service.instance.id</c>) and its ports.</summary>
internal sealed class ReplicaContext(Resource resource, int index, string suffix, HostingContext host, ResourceLogBuffer log)
{
    public Resource Resource { get; } = resource;

    public int Index { get; } = index;

    public string InstanceId { get; } = resource.Replicas == 1 && index == 0 ? $"{resource.Name}-{suffix}" : $"{resource.Name}-{index.ToString(CultureInfo.InvariantCulture)}-{suffix}";

    public HostingContext Host { get; } = host;

    public ResourceLogBuffer Log { get; } = log;

    public int Port(string endpointName) => Resource.Endpoint(endpointName).Port(Index);
}
