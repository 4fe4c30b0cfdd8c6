using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Observability.Redis.Tests.Connection;

/// <summary>A socket peer that answers every command with bytes a Redis server would never send.</summary>
[Trait("Category", "Integration")]
public sealed class ProtocolErrorTests
{
    [Theory]
    [InlineData("?bogus\r\n")]
    [InlineData("$99999999999\r\n")]
    public async Task Reply_Invalid_DropsConnectionWithClearError(string reply)
    {
        var ct = TestClients.Timeout();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = ServeAsync(listener, Encoding.ASCII.GetBytes(reply), ct);
        var options = Observability.Redis.Configuration.RedisClientOptions.Parse($"127.0.0.1:{port}");
        options.ServerStatsInterval = TimeSpan.Zero;
        options.MaxBulkLength = 1024 * 1024;
        await using var client = new RedisClient(options);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.ExecuteAsync("PING", [], ct));

        Assert.IsType<RedisProtocolException>(error.InnerException);
        Assert.Contains("invalid reply", error.Message, StringComparison.Ordinal);
        await server.WaitAsync(ct);
    }

    private static async Task ServeAsync(TcpListener listener, byte[] reply, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        if (received > 0)
        {
            await socket.SendAsync(reply, cancellationToken);
        }

        // Wait for the client to hang up.
        while (await socket.ReceiveAsync(buffer, cancellationToken) > 0)
        {
        }
    }
}
