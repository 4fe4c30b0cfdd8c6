namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Thrown before anything is sent when a logical service name (<c>http://gateway</c>) has no endpoint in
/// configuration; the message names the missing key (<c>services:gateway:http:0</c>). Not transient: it is never
/// retried.
/// </summary>
public sealed class ServiceEndpointNotFoundException : InvalidOperationException
{
    public ServiceEndpointNotFoundException()
    {
    }

    public ServiceEndpointNotFoundException(string message)
        : base(message)
    {
    }

    public ServiceEndpointNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
