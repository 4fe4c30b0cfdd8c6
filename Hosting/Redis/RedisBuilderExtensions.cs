using Observability.Hosting.ApplicationModel;

namespace Observability.Hosting.Redis;

/// <summary>Adds Redis.</summary>
public static class RedisBuilderExtensions
{
    /// <summary>Adds a Redis server; its password is the parameter <c>{name}-password</c> (generated once per user).</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var password = builder.AddGeneratedPassword($"{name}-password");
        return builder.AddResource(new RedisResource(name, password.Resource));
    }
}
