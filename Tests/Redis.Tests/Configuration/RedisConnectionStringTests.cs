using Observability.Redis.Configuration;

namespace Observability.Redis.Tests.Configuration;

public sealed class RedisConnectionStringTests
{
    [Fact]
    public void Parse_AspireForm_ReadsEverySetting()
    {
        var options = RedisClientOptions.Parse(
            "cache.internal:6380,password=p@ss=word,user=app,ssl=true,defaultDatabase=2,connectTimeout=1500,syncTimeout=700,name=worker,abortConnect=false");

        Assert.Equal("cache.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Equal("p@ss=word", options.Password);
        Assert.Equal("app", options.User);
        Assert.True(options.Ssl);
        Assert.Equal(2, options.Database);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(700), options.CommandTimeout);
        Assert.Equal("worker", options.ClientName);
        Assert.Null(options.Validate());
    }

    [Fact]
    public void Parse_AsyncTimeoutAndProtocol_Applied()
    {
        var options = RedisClientOptions.Parse("localhost:6379,asyncTimeout=250,protocol=resp3");
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommandTimeout);
        Assert.Equal(RedisProtocolVersion.Resp3, options.Protocol);
    }

    [Fact]
    public void Parse_HostWithoutPort_DefaultsTo6379()
    {
        var options = RedisClientOptions.Parse("redis-host");
        Assert.Equal("redis-host", options.Host);
        Assert.Equal(6379, options.Port);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void Parse_RedisUri_ReadsUserPasswordAndDatabase()
    {
        var options = RedisClientOptions.Parse("redis://alice:s%40cret@10.0.0.5:7000/4");
        Assert.Equal("10.0.0.5", options.Host);
        Assert.Equal(7000, options.Port);
        Assert.Equal("alice", options.User);
        Assert.Equal("s@cret", options.Password);
        Assert.Equal(4, options.Database);
        Assert.False(options.Ssl);
    }

    [Fact]
    public void Parse_RedissUriWithPasswordOnly_TurnsOnTls()
    {
        var options = RedisClientOptions.Parse("rediss://:secret@example.com");
        Assert.True(options.Ssl);
        Assert.Equal(6379, options.Port);
        Assert.Null(options.User);
        Assert.Equal("secret", options.Password);
    }

    [Theory]
    [InlineData("localhost:abc")]
    [InlineData("localhost:6379,ssl=maybe")]
    [InlineData("localhost:6379,bogus=1")]
    [InlineData("password=only")]
    [InlineData("localhost,protocol=resp9")]
    public void Parse_Invalid_ThrowsFormatException(string connectionString) =>
        Assert.Throws<FormatException>(() => RedisClientOptions.Parse(connectionString));

    [Fact]
    public void Validate_UserWithoutPassword_NamesTheProblem()
    {
        var options = RedisClientOptions.Parse("localhost:6379,user=bob");
        Assert.Contains("Password", options.Validate());
    }
}
