using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.RequestLimits;

/// <summary>
/// Raises Kestrel's head limits to <see cref="RequestLimitsOptions.KestrelBackstopFactor"/> times the service's own, so
/// that a request between the two reaches <see cref="RequestLimitsMiddleware"/> and is answered with problem details.
/// </summary>
internal sealed class KestrelBackstopSetup(IOptions<RequestLimitsOptions> limits) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var value = limits.Value;
        var factor = value.KestrelBackstopFactor;
        options.Limits.MaxRequestHeadersTotalSize = value.MaxRequestHeadersTotalSize * factor;
        options.Limits.MaxRequestHeaderCount = value.MaxRequestHeaderCount * factor;
        options.Limits.MaxRequestLineSize = value.MaxRequestLineSize * factor;

        // HTTP/2 has a per-field limit of its own (16 KiB by default): one large header must reach the middleware too.
        options.Limits.Http2.MaxRequestHeaderFieldSize = Math.Max(options.Limits.Http2.MaxRequestHeaderFieldSize, value.MaxRequestHeadersTotalSize * factor);
    }
}
