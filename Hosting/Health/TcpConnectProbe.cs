using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.Hosting.Health;

/// <summary>Healthy once the port accepts a TCP connection: the readiness of a project without an HTTP health check.</summary>
internal sealed class TcpConnectProbe(string host, int port) : IHealthProbe
{
    public string Description => $"a connection to {host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"{Description} failed: {e.Message}");
        }
    }
}
