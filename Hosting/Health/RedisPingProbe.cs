using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.Hosting.Health;

/// <summary>AUTH then PING over a fresh connection, in RESP: healthy on <c>+PONG</c>.</summary>
internal sealed class RedisPingProbe(string host, int port, string password) : IHealthProbe
{
    public string Description => $"PING redis at {host}:{port.ToString(CultureInfo.InvariantCulture)}";

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            var request = Command("AUTH", password) + Command("PING");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            var auth = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var ping = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return auth == "+OK" && ping == "+PONG"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{Description}: answered '{auth}' / '{ping}'");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return HealthCheckResult.Unhealthy($"{Description} failed: {e.Message}");
        }
    }

    private static string Command(params string[] parts)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"*{parts.Length}\r\n");
        foreach (var part in parts)
        {
            builder.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        return builder.ToString();
    }
}
