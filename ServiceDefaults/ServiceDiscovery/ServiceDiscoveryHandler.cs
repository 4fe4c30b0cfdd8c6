namespace Observability.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Rewrites a logical request URI (<c>http://gateway/orders?id=1</c>) to a resolved endpoint
/// (<c>http://127.0.0.1:5123/orders?id=1</c>) for one attempt, keeping path and query, and restores it afterwards
/// so the next attempt of an outer retry resolves again. The Host header follows the resolved endpoint unless the
/// caller set one.
/// </summary>
internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var original = request.RequestUri;
        if (original is null || !original.IsAbsoluteUri || !ServiceAddress.TryParse(original, out var address))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var endpoint = resolver.Resolve(address);
        var target = endpoint is not null
            ? Rewrite(original, endpoint.Scheme, endpoint.Host, endpoint.Port)
            : address.Schemes.Count > 1
                ? Rewrite(original, address.Schemes[0], original.Host, original.Port)
                : original;

        request.RequestUri = target;
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    private static Uri Rewrite(Uri original, string scheme, string host, int port) =>
        new UriBuilder(original) { Scheme = scheme, Host = host, Port = port }.Uri;
}
