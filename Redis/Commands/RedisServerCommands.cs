using System.Diagnostics;
using Observability.Redis.Protocol;

namespace Observability.Redis;

/// <summary>Server commands: PING and INFO.</summary>
public static class RedisServerCommands
{
    /// <summary>PING; returns the round-trip time.</summary>
    public static async ValueTask<TimeSpan> PingAsync(this RedisClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var started = Stopwatch.GetTimestamp();
        await SendPing(client, cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>INFO [section]: the report's text.</summary>
    public static async ValueTask<string> InfoAsync(this RedisClient client, string? section = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await SendInfo(client, section, cancellationToken).ConfigureAwait(false) ?? "";
    }

    /// <summary>INFO parsed into its <c>name:value</c> pairs (section headers dropped).</summary>
    public static async ValueTask<IReadOnlyDictionary<string, string>> InfoFieldsAsync(this RedisClient client, string? section = null, CancellationToken cancellationToken = default)
    {
        var text = await client.InfoAsync(section, cancellationToken).ConfigureAwait(false);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return fields;
    }

    private static ValueTask<bool> SendPing(RedisClient client, CancellationToken cancellationToken)
    {
        var command = new CommandBuilder("PING", 0);
        return client.SendAsync(ref command, ReplyParsers.Ok, cancellationToken);
    }

    private static ValueTask<string?> SendInfo(RedisClient client, string? section, CancellationToken cancellationToken)
    {
        var command = new CommandBuilder("INFO", section is null ? 0 : 1);
        if (section is not null)
        {
            command.AddText(section);
        }

        return client.SendAsync(ref command, ReplyParsers.Text, cancellationToken);
    }
}
