using System.Globalization;

namespace Observability.Redis.Configuration;

/// <summary>Reads the connection strings Aspire injects (<c>host:port,password=...</c>) and <c>redis://</c> URIs.</summary>
internal static class RedisConnectionString
{
    /// <summary>Options StackExchange.Redis accepts that have no meaning for this client; they are ignored.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "abortConnect", "allowAdmin", "connectRetry", "keepAlive", "resolveDns", "checkCertificateRevocation",
        "channelPrefix", "configChannel", "serviceName", "tiebreaker", "version", "responseTimeout", "sslProtocols",
    };

    public static void Apply(string connectionString, RedisClientOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var text = connectionString.Trim();
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            ApplyUri(new Uri(text), options);
            return;
        }

        var hostSeen = false;
        foreach (var rawPart in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = rawPart.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (!hostSeen)
                {
                    ApplyEndpoint(rawPart, options);
                    hostSeen = true;
                }

                continue;
            }

            ApplySetting(rawPart[..equals].Trim(), rawPart[(equals + 1)..].Trim(), options);
        }

        if (!hostSeen)
        {
            throw new FormatException("The Redis connection string names no host:port.");
        }
    }

    private static void ApplyUri(Uri uri, RedisClientOptions options)
    {
        options.Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase);
        options.Host = uri.Host.Trim('[', ']');
        options.Port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            var password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            if (password is null)
            {
                options.Password = user;
            }
            else
            {
                options.User = user.Length == 0 ? null : user;
                options.Password = password;
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.Database = ParseInt("database", path);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                ApplySetting(Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]), options);
            }
        }
    }

    private static void ApplyEndpoint(string endpoint, RedisClientOptions options)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon > 0 && endpoint.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            options.Host = endpoint[..colon];
            options.Port = ParseInt("port", endpoint[(colon + 1)..]);
        }
        else if (endpoint.StartsWith('[') && endpoint.Contains("]:", StringComparison.Ordinal))
        {
            var close = endpoint.IndexOf("]:", StringComparison.Ordinal);
            options.Host = endpoint[1..close];
            options.Port = ParseInt("port", endpoint[(close + 2)..]);
        }
        else
        {
            options.Host = endpoint.Trim('[', ']');
        }
    }

    private static void ApplySetting(string key, string value, RedisClientOptions options)
    {
        switch (key.ToUpperInvariant())
        {
            case "PASSWORD":
                options.Password = value;
                break;
            case "USER":
                options.User = value;
                break;
            case "SSL":
                options.Ssl = ParseBool(key, value);
                break;
            case "SSLHOST":
                options.SslHost = value;
                break;
            case "DEFAULTDATABASE":
                options.Database = ParseInt(key, value);
                break;
            case "CONNECTTIMEOUT":
                options.ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value));
                break;
            case "SYNCTIMEOUT" or "ASYNCTIMEOUT":
                options.CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value));
                break;
            case "NAME":
                options.ClientName = value;
                break;
            case "PROTOCOL":
                options.Protocol = value.ToUpperInvariant() switch
                {
                    "RESP3" or "3" => RedisProtocolVersion.Resp3,
                    "RESP2" or "2" => RedisProtocolVersion.Resp2,
                    _ => throw new FormatException($"Redis connection string: protocol={value} is neither resp2 nor resp3."),
                };
                break;
            default:
                if (!Ignored.Contains(key))
                {
                    throw new FormatException($"Redis connection string: unknown option '{key}'.");
                }

                break;
        }
    }

    private static int ParseInt(string key, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"Redis connection string: {key}={value} is not a number.");

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var flag) ? flag : throw new FormatException($"Redis connection string: {key}={value} is not true or false.");
}
