using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Observability.ServiceDefaults.Tests.Health;

/// <summary>A readiness check that sends PING to a real Redis over RESP and expects <c>+PONG</c>.</summary>
internal sealed class RedisPingHealthCheck : IHealthCheck
{
    private readonly string _host;
    private readonly int _port;
    private int _runs;

    public RedisPingHealthCheck(string host, int port)
    {
        _host = host;
        _port = port;
    }

    public int Runs => Volatile.Read(ref _runs);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _runs);
        using var client = new TcpClient();
        await client.ConnectAsync(_host, _port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[7];
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        return reply == "+PONG\r\n" ? HealthCheckResult.Healthy("Redis answered PONG.") : HealthCheckResult.Unhealthy($"Redis answered '{reply.TrimEnd()}'.");
    }
}
