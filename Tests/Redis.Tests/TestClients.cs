using Observability.Redis.Configuration;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests;

/// <summary>Clients for the tests' servers, with a short stats interval off and a timeout for every await.</summary>
internal static class TestClients
{
    public static async Task<RedisClient> ConnectAsync(string connectionString, Action<RedisClientOptions>? configure = null)
    {
        var options = RedisClientOptions.Parse(connectionString);
        options.ServerStatsInterval = TimeSpan.Zero;
        configure?.Invoke(options);
        var client = new RedisClient(options);
        try
        {
            await client.ConnectAsync(Timeout(10));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static Task<RedisClient> ConnectAsync(RedisServerFixture redis, Action<RedisClientOptions>? configure = null) =>
        ConnectAsync(redis.ConnectionString, configure);

    /// <summary>The test's token, cancelled after <paramref name="seconds"/> so no await can hang.</summary>
    public static CancellationToken Timeout(int seconds = 10)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts.Token;
    }
}
