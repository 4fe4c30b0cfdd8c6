using System.Net;
using System.Net.Sockets;
using Observability.Hosting.ApplicationModel;

namespace Observability.Hosting.Orchestration;

/// <summary>
/// Gives every endpoint of every replica a port on 127.0.0.1 before anything starts, so connection strings and
/// service URLs are known up front. Free ports come from the kernel; all listeners stay open until every port is
/// chosen, so no two endpoints get the same one.
/// </summary>
internal static class PortAllocator
{
    public static void Allocate(IEnumerable<Resource> resources, bool randomize)
    {
        var listeners = new List<TcpListener>();
        try
        {
            foreach (var resource in resources)
            {
                foreach (var endpoint in resource.Endpoints)
                {
                    endpoint.Ports = [.. Enumerable.Range(0, resource.Replicas).Select(_ =>
                        !randomize && resource.Replicas == 1 && endpoint.FixedPort is { } fixedPort ? fixedPort : Reserve(listeners))];
                }
            }
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static int Reserve(List<TcpListener> listeners)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        listeners.Add(listener);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
