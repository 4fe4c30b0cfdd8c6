using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Observability.TestInfrastructure.Processes;

namespace Observability.TestInfrastructure.Postgres;

/// <summary>
/// A real PostgreSQL (Debian's 15, or the newest installed) on a free loopback port: a fresh cluster from
/// <c>initdb</c> in a temporary directory with password authentication, run as the <c>postgres</c> user when
/// the tests run as root (PostgreSQL refuses root). Durability is traded for speed (fsync off): test data only.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly TestDirectory _directory;
    private readonly string _password;
    private readonly IReadOnlyList<string> _settings;
    private ServerProcess? _process;

    private PostgresServer(TestDirectory directory, int port, string password, IReadOnlyList<string> settings)
    {
        _directory = directory;
        Port = port;
        _password = password;
        _settings = settings;
    }

    /// <summary>The server's temporary directory (deleted on dispose).</summary>
    public string DirectoryPath => _directory.Path;

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The postmaster's process id (its backends are its children).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("PostgreSQL is not running.");

    /// <summary>A connection string to the <c>postgres</c> maintenance database as the superuser.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>
    /// Initialises a cluster and starts the server; <paramref name="settings"/> are extra server settings
    /// (<c>name=value</c>, each passed as <c>-c</c>, after and so over the defaults), kept across <see cref="RestartAsync"/>.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(IReadOnlyList<string>? settings = null)
    {
        var directory = TestDirectory.Create("postgres");
        var server = new PostgresServer(directory, LoopbackPort.GetFree(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), settings ?? []);
        try
        {
            await server.InitializeClusterAsync().ConfigureAwait(false);
            await server.StartProcessAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = _password,
        Database = database,
        Pooling = true,
        Timeout = 10,
    }.ConnectionString;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (fast shutdown: running transactions roll back, clients lose their connections).</summary>
    public async Task StopAsync()
    {
        // This process's pooled connections would all be broken after the restart.
        NpgsqlConnection.ClearAllPools();
        if (_process is { } process)
        {
            await process.StopAsync(NativeMethods.SigInt, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    /// <summary>Starts the server again on the same port and data after <see cref="StopAsync"/>.</summary>
    public Task RestartAsync() => _process is null ? StartProcessAsync() : Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_process is { } process)
        {
            // SIGINT is PostgreSQL's fast shutdown: running transactions roll back, then it exits.
            await process.StopAsync(NativeMethods.SigInt, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }

        _directory.Delete();
    }

    private string DataDirectory => Path.Combine(_directory.Path, "data");

    private static string? RunAs => NativeMethods.IsRoot ? SuperUser : null;

    private async Task InitializeClusterAsync()
    {
        var passwordFile = Path.Combine(_directory.Path, "pwfile");
        await File.WriteAllTextAsync(passwordFile, _password).ConfigureAwait(false);
        Directory.CreateDirectory(DataDirectory);
        if (RunAs is not null)
        {
            await ServerProcess.RunToCompletionAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", _directory.Path], _directory.Path, null, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        await ServerProcess.RunToCompletionAsync(
            Binary("initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C", "--no-sync"],
            _directory.Path,
            RunAs,
            TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        File.Delete(passwordFile);
    }

    private async Task StartProcessAsync()
    {
        _process = ServerProcess.Start(
            Binary("postgres"),
            [
                "-D", DataDirectory,
                "-p", Port.ToString(CultureInfo.InvariantCulture),
                "-c", "listen_addresses=127.0.0.1",
                "-c", $"unix_socket_directories={_directory.Path}",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "max_connections=300",
                .. _settings.SelectMany(setting => new[] { "-c", setting }),
            ],
            _directory.Path,
            RunAs);
        _directory.RecordServer(_process.Id);
        await _process.WaitUntilReadyAsync(CanConnectAsync, TimeSpan.FromSeconds(60), "postgres").ConfigureAwait(false);
    }

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        if (!LoopbackPort.IsListening(Port))
        {
            return false;
        }

        try
        {
            await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false");
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    /// <summary>Finds a PostgreSQL binary: the PG_BIN folder when set, else the newest /usr/lib/postgresql/N/bin.</summary>
    private static string Binary(string name)
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, name);
        }

        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin", name))
                .Where(File.Exists)
                .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"PostgreSQL's {name} was not found: install the Debian package 'postgresql' (or set PG_BIN).");
    }
}
