using System.Net.Security;

namespace Observability.Redis.Configuration;

/// <summary>
/// How to reach Redis. Bound from configuration section <c>Redis:{name}</c>; the connection string
/// <c>ConnectionStrings:{name}</c> (<see cref="ConnectionString"/>) fills in host, port, credentials and timeouts.
/// </summary>
public sealed class RedisClientOptions
{
    /// <summary>
    /// <c>host:port[,password=..][,user=..][,ssl=true][,defaultDatabase=N][,connectTimeout=ms][,syncTimeout=ms]
    /// [,asyncTimeout=ms][,name=..][,protocol=resp3]</c> or <c>redis[s]://[user:password@]host[:port][/db]</c>.
    /// Key: <c>ConnectionStrings:{name}</c> or <c>Redis:{name}:ConnectionString</c>. Default: none.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Server host name or address. Key <c>Redis:{name}:Host</c>. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>Server port. Key <c>Redis:{name}:Port</c>. Default 6379.</summary>
    public int Port { get; set; } = 6379;

    /// <summary>ACL user name (<c>user=</c>); null authenticates as <c>default</c>. Default null.</summary>
    public string? User { get; set; }

    /// <summary>Password (<c>password=</c>); null sends no AUTH. Default null.</summary>
    public string? Password { get; set; }

    /// <summary>Connect over TLS (<c>ssl=true</c>, <c>rediss://</c>). Default false.</summary>
    public bool Ssl { get; set; }

    /// <summary>Name the server certificate must carry (<c>sslHost=</c>). Default: <see cref="Host"/>.</summary>
    public string? SslHost { get; set; }

    /// <summary>Database index selected on every connection (<c>defaultDatabase=</c>). Default 0.</summary>
    public int Database { get; set; }

    /// <summary>Name shown by <c>CLIENT LIST</c> (<c>name=</c>). Default null (no <c>CLIENT SETNAME</c>).</summary>
    public string? ClientName { get; set; }

    /// <summary>Wire protocol (<c>protocol=resp3</c>). Default <see cref="RedisProtocolVersion.Resp2"/>.</summary>
    public RedisProtocolVersion Protocol { get; set; } = RedisProtocolVersion.Resp2;

    /// <summary>Time allowed to open and set up a connection (<c>connectTimeout=</c> ms). Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a command may wait for its reply (<c>asyncTimeout=</c> or <c>syncTimeout=</c> ms). Default 5 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause between reconnect attempts (the backoff doubles from 50 ms up to this). Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <c>INFO stats</c> is read for the server gauges; zero turns it off. Default 30 s.</summary>
    public TimeSpan ServerStatsInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest bulk string accepted from the server, in bytes. Default 512 MB (Redis's own limit).</summary>
    public long MaxBulkLength { get; set; } = 512L * 1024 * 1024;

    /// <summary>Extra certificate check for TLS (code only, e.g. a private CA). Default: the system's validation.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>Parses a connection string into new options.</summary>
    public static RedisClientOptions Parse(string connectionString)
    {
        var options = new RedisClientOptions();
        RedisConnectionString.Apply(connectionString, options);
        return options;
    }

    /// <summary>The first problem with these options, naming the setting, or null when they are usable.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            return "Host must not be empty.";
        }

        if (Port is <= 0 or > 65535)
        {
            return $"Port {Port} is outside 1..65535.";
        }

        if (Database < 0)
        {
            return $"Database {Database} must not be negative.";
        }

        if (ConnectTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero || MaxReconnectDelay <= TimeSpan.Zero)
        {
            return "ConnectTimeout, CommandTimeout and MaxReconnectDelay must be positive.";
        }

        if (ServerStatsInterval < TimeSpan.Zero)
        {
            return "ServerStatsInterval must not be negative.";
        }

        if (MaxBulkLength <= 0)
        {
            return "MaxBulkLength must be positive.";
        }

        return User is not null && Password is null ? "User is set without Password." : null;
    }
}
