using System.Net;
using System.Net.Sockets;

namespace Observability.TestInfrastructure.Processes;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class LoopbackPort
{
    /// <summary>Asks the kernel for a port that is free on 127.0.0.1 right now.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
