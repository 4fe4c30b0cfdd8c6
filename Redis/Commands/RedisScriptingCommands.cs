using Observability.Redis.Protocol;
using Observability.Redis.Scripting;

namespace Observability.Redis;

/// <summary>Scripting: EVAL, EVALSHA, and cached scripts that fall back from EVALSHA to EVAL on NOSCRIPT.</summary>
public static class RedisScriptingCommands
{
    /// <summary>EVAL script numkeys key... arg...</summary>
    public static ValueTask<RedisReply> EvalAsync(this RedisClient client, string script, ReadOnlySpan<RedisValue> keys, ReadOnlySpan<RedisValue> arguments, CancellationToken cancellationToken = default) =>
        Send(client, "EVAL", script, keys, arguments, cancellationToken);

    /// <summary>EVALSHA sha1 numkeys key... arg... (throws <see cref="RedisServerException"/> NOSCRIPT when unknown).</summary>
    public static ValueTask<RedisReply> EvalShaAsync(this RedisClient client, string sha1, ReadOnlySpan<RedisValue> keys, ReadOnlySpan<RedisValue> arguments, CancellationToken cancellationToken = default) =>
        Send(client, "EVALSHA", sha1, keys, arguments, cancellationToken);

    /// <summary>Runs <paramref name="script"/> by its SHA1; on NOSCRIPT sends the source with EVAL (which caches it).</summary>
    public static async ValueTask<RedisReply> EvaluateAsync(this RedisClient client, RedisScript script, RedisValue[]? keys = null, RedisValue[]? arguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        try
        {
            return await client.EvalShaAsync(script.Sha1, keys, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.ErrorCode == "NOSCRIPT")
        {
            return await client.EvalAsync(script.Source, keys, arguments, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ValueTask<RedisReply> Send(RedisClient client, string name, string scriptOrSha, ReadOnlySpan<RedisValue> keys, ReadOnlySpan<RedisValue> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var command = new CommandBuilder(name, 2 + keys.Length + arguments.Length);
        command.AddText(scriptOrSha);
        command.Add(keys.Length);
        foreach (var key in keys)
        {
            command.Add(key);
        }

        foreach (var argument in arguments)
        {
            command.Add(argument);
        }

        return client.SendAsync(ref command, ReplyParsers.Reply, cancellationToken);
    }
}
