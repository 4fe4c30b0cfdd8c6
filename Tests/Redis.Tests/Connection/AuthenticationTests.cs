using System.Globalization;
using Observability.TestInfrastructure.Redis;

namespace Observability.Redis.Tests.Connection;

[Trait("Category", "Integration")]
public sealed class AuthenticationTests
{
    private const string Password = "test-only-password";

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task Password_Correct_Authenticates(string protocol)
    {
        var ct = TestClients.Timeout();
        await using var server = await RedisServer.StartAsync(Password);
        await using var client = await TestClients.ConnectAsync($"{server.ConnectionString},protocol={protocol}");
        Assert.Equal("default", (await client.ExecuteAsync("ACL", ["WHOAMI"], ct)).AsString());
    }

    [Fact]
    public async Task Password_Wrong_FailsWithConnectionErrorNamingTheRefusal()
    {
        await using var server = await RedisServer.StartAsync(Password);
        var options = Observability.Redis.Configuration.RedisClientOptions.Parse($"{RedisServer.Host}:{server.Port},password=wrong,asyncTimeout=1000");
        options.ServerStatsInterval = TimeSpan.Zero;
        await using var client = new RedisClient(options);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ConnectAsync(TestClients.Timeout()));
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_Missing_CommandsAreRefused()
    {
        var ct = TestClients.Timeout();
        await using var server = await RedisServer.StartAsync(Password);
        await using var client = await TestClients.ConnectAsync($"{RedisServer.Host}:{server.Port}");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.GetAsync("k", ct));
        Assert.Equal("NOAUTH", error.ErrorCode);
    }

    [Theory]
    [InlineData("resp2")]
    [InlineData("resp3")]
    public async Task AclUser_ConnectionStringAndUri_AuthenticateAsThatUser(string protocol)
    {
        var ct = TestClients.Timeout();
        await using var server = await RedisServer.StartAsync(Password);
        Assert.Equal("+OK", await server.RawCommandAsync("ACL", "SETUSER", "alice", "on", ">alice-pw", "~app:*", "&*", "+@all"));
        var port = server.Port.ToString(CultureInfo.InvariantCulture);

        await using (var client = await TestClients.ConnectAsync($"{RedisServer.Host}:{port},user=alice,password=alice-pw,protocol={protocol},name=billing,defaultDatabase=3"))
        {
            Assert.Equal("alice", (await client.ExecuteAsync("ACL", ["WHOAMI"], ct)).AsString());
            Assert.Equal("billing", (await client.ExecuteAsync("CLIENT", ["GETNAME"], ct)).AsString());
            Assert.Contains(" db=3 ", (await client.ExecuteAsync("CLIENT", ["INFO"], ct)).AsString(), StringComparison.Ordinal);
            Assert.True(await client.SetAsync("app:x", "1", cancellationToken: ct));
            var denied = await Assert.ThrowsAsync<RedisServerException>(async () => await client.SetAsync("other:x", "1", cancellationToken: ct));
            Assert.Equal("NOPERM", denied.ErrorCode);
        }

        await using (var client = await TestClients.ConnectAsync($"redis://alice:alice-pw@{RedisServer.Host}:{port}/5?protocol={protocol}"))
        {
            Assert.Equal("alice", (await client.ExecuteAsync("ACL", ["WHOAMI"], ct)).AsString());
            Assert.Contains(" db=5 ", (await client.ExecuteAsync("CLIENT", ["INFO"], ct)).AsString(), StringComparison.Ordinal);
        }
    }
}
