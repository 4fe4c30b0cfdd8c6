namespace Observability.TestInfrastructure.Redis;

/// <summary>
/// One real Redis for a whole test assembly (<c>[assembly: AssemblyFixture(typeof(RedisServerFixture))]</c>).
/// Tests share it and keep apart through <see cref="NewKeyPrefix"/>.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>The running server.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture has not started.");

    /// <summary>A connection string for the shared server.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>A key prefix no other test uses, such as <c>test:3f2a...:</c>.</summary>
    public static string NewKeyPrefix() => $"test:{Guid.NewGuid():N}:";

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
