using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

namespace Observability.Infrastructure.Tests;

[Trait("Category", "Integration")]
public sealed class RedisServerTests(RedisServerFixture redis)
{
    [Fact]
    public async Task SharedServer_SetThenGet_ReturnsValueUnderPrefix()
    {
        var key = RedisServerFixture.NewKeyPrefix() + "greeting";

        Assert.Equal("+OK", await redis.Server.RawCommandAsync("SET", key, "hello"));
        Assert.Equal(":5", await redis.Server.RawCommandAsync("STRLEN", key));
        Assert.Equal(":0", await redis.Server.RawCommandAsync("EXISTS", RedisServerFixture.NewKeyPrefix() + "greeting"));
    }

    [Fact]
    public void NewKeyPrefix_TwoCalls_Differ() =>
        Assert.NotEqual(RedisServerFixture.NewKeyPrefix(), RedisServerFixture.NewKeyPrefix());

    [Fact]
    public async Task Dispose_StopsProcessFreesPortAndDeletesDirectory()
    {
        var server = await RedisServer.StartAsync();
        var pid = server.ProcessId;
        var port = server.Port;
        var directory = server.DirectoryPath;
        Assert.True(Directory.Exists(directory));

        await server.DisposeAsync();

        Assert.False(ProcFs.IsRunning(pid), "redis-server is still running after dispose");
        Assert.False(LoopbackPort.IsListening(port), "the port still accepts connections after dispose");
        Assert.False(Directory.Exists(directory), "the temporary directory was not deleted");
    }

    [Fact]
    public async Task KillThenRestart_ServesAgainOnSamePort()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-for-test");
        var port = server.Port;

        await server.KillAsync();
        Assert.False(LoopbackPort.IsListening(port));
        await server.RestartAsync();

        Assert.Equal(port, server.Port);
        Assert.Equal("+PONG", await server.RawCommandAsync("PING"));
    }
}
