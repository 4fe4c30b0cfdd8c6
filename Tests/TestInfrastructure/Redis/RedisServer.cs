using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Observability.TestInfrastructure.Processes;

namespace Observability.TestInfrastructure.Redis;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port in its own temporary directory, without persistence unless
/// asked for an append-only file (<c>appendfsync everysec</c>, as the local AppHost resource runs it).
/// Tests that need to kill or restart Redis start their own; the rest share <see cref="RedisServerFixture"/>.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TestDirectory _directory;
    private readonly string? _password;
    private readonly bool _appendOnly;
    private ServerProcess? _process;

    private RedisServer(TestDirectory directory, int port, string? password, bool appendOnly)
    {
        _directory = directory;
        Port = port;
        _password = password;
        _appendOnly = appendOnly;
    }

    /// <summary>The server's temporary directory (deleted on dispose).</summary>
    public string DirectoryPath => _directory.Path;

    /// <summary>The loopback port the server listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>Always 127.0.0.1.</summary>
    public static string Host => "127.0.0.1";

    /// <summary>A connection string in the form Aspire injects (<c>host:port[,password=...]</c>).</summary>
    public string ConnectionString => _password is null
        ? $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)},password={_password}";

    /// <summary>The server's process id while it runs.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("Redis is not running.");

    /// <summary>
    /// Starts a new server; <paramref name="password"/> turns on <c>requirepass</c>; <paramref name="appendOnly"/> keeps
    /// an append-only file (<c>everysec</c>), so a restart after <see cref="KillAsync"/> finds the data again.
    /// </summary>
    public static async Task<RedisServer> StartAsync(string? password = null, bool appendOnly = false)
    {
        var server = new RedisServer(TestDirectory.Create("redis"), LoopbackPort.GetFree(), password, appendOnly);
        try
        {
            await server.StartProcessAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the server as a crash would (SIGKILL): clients see their connections drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    /// <summary>Starts the server again on the same port after <see cref="KillAsync"/>.</summary>
    public Task RestartAsync() => _process is null ? StartProcessAsync() : Task.CompletedTask;

    /// <summary>Sends one command over a fresh connection and returns the raw reply (for test set-up and checks).</summary>
    public async Task<string> RawCommandAsync(params string[] args)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(Host, Port, cts.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        if (_password is not null)
        {
            await WriteCommandAsync(stream, ["AUTH", _password], cts.Token).ConfigureAwait(false);
            await ReadLineAsync(stream, cts.Token).ConfigureAwait(false);
        }

        await WriteCommandAsync(stream, args, cts.Token).ConfigureAwait(false);
        return await ReadLineAsync(stream, cts.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            await process.StopAsync(NativeMethods.SigTerm, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }

        _directory.Delete();
    }

    private async Task StartProcessAsync()
    {
        List<string> args =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", Host,
            "--dir", _directory.Path,
            "--save", "",
            "--appendonly", _appendOnly ? "yes" : "no",
            "--appendfsync", "everysec",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--loglevel", "warning",
        ];
        if (_password is not null)
        {
            args.AddRange(["--requirepass", _password]);
        }

        _process = ServerProcess.Start("redis-server", args, _directory.Path);
        _directory.RecordServer(_process.Id);
        await _process.WaitUntilReadyAsync(PingAsync, TimeSpan.FromSeconds(30), "redis-server").ConfigureAwait(false);
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        if (!LoopbackPort.IsListening(Port))
        {
            return false;
        }

        try
        {
            var reply = await RawCommandAsync("PING").ConfigureAwait(false);
            return reply is "+PONG";
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private static async Task WriteCommandAsync(NetworkStream stream, string[] args, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            builder.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(builder.ToString()), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) == 1)
        {
            if (buffer[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            }

            bytes.Add(buffer[0]);
        }

        throw new IOException("Redis closed the connection before replying.");
    }
}
