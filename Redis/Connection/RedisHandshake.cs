using Observability.Redis.Configuration;
using Observability.Redis.Protocol;

namespace Observability.Redis.Connection;

/// <summary>Sets a new connection up: protocol and credentials (HELLO or AUTH), client name, database.</summary>
internal static class RedisHandshake
{
    public static async Task RunAsync(RedisConnection connection, RedisClientOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (options.Protocol == RedisProtocolVersion.Resp3)
            {
                await HelloAsync(connection, options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (options.Password is not null)
                {
                    RedisValue[] auth = options.User is null ? [options.Password] : [options.User, options.Password];
                    await connection.SendAsync(ReplyParsers.Ok, "AUTH", auth, cancellationToken).ConfigureAwait(false);
                }

                if (options.ClientName is not null)
                {
                    await connection.SendAsync(ReplyParsers.Ok, "CLIENT", ["SETNAME", options.ClientName], cancellationToken).ConfigureAwait(false);
                }
            }

            if (options.Database != 0)
            {
                await connection.SendAsync(ReplyParsers.Ok, "SELECT", [options.Database], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RedisServerException e)
        {
            throw new RedisConnectionException($"Redis at {options.Host}:{options.Port} refused the connection set-up: {e.Message}", e);
        }
    }

    private static ValueTask<RedisReply> HelloAsync(RedisConnection connection, RedisClientOptions options, CancellationToken cancellationToken)
    {
        List<RedisValue> arguments = [3];
        if (options.Password is not null)
        {
            arguments.AddRange(["AUTH", options.User ?? "default", options.Password]);
        }

        if (options.ClientName is not null)
        {
            arguments.AddRange(["SETNAME", options.ClientName]);
        }

        return connection.SendAsync(ReplyParsers.Reply, "HELLO", [.. arguments], cancellationToken);
    }
}
