using Microsoft.Extensions.Options;
using Observability.WebSocketHub.Configuration;

namespace Observability.WebSocketHub.Connections;

/// <summary>
/// The origin check made before the upgrade: a browser sends <c>Origin</c>, and it must be one of
/// <see cref="WebSocketHubOptions.AllowedOrigins"/>; a request without it comes from a non-browser client.
/// </summary>
internal sealed class OriginPolicy(IOptions<WebSocketHubOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins, StringComparer.OrdinalIgnoreCase);

    public bool Allows(string? origin) => string.IsNullOrEmpty(origin) || _allowed.Contains(origin);
}
