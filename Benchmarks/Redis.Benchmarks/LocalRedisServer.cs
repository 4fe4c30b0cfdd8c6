using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Observability.Redis.Benchmarks;

/// <summary>A throw-away redis-server on a free loopback port (no persistence), stopped on dispose.</summary>
internal sealed class LocalRedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private LocalRedisServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public static async Task<LocalRedisServer> StartAsync()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var directory = Directory.CreateTempSubdirectory("redis-bench-").FullName;
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (var arg in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--loglevel", "warning"])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var server = new LocalRedisServer(process, port, directory);

        // Never leave the server behind, even when a benchmark fails before its cleanup runs.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
                return server;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50, timeout.Token).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }

            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already disposed by DisposeAsync.
        }
        catch (IOException)
        {
            // The temporary directory is left for the system to clean.
        }
    }
}
