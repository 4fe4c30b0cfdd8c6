using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Observability.Redis.Caching;
using Observability.Redis.Configuration;
using Observability.Redis.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the Redis client the way an Aspire client integration does.</summary>
public static class RedisHostingExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="Observability.Redis.RedisClient"/> for <c>ConnectionStrings:{connectionName}</c>
    /// (settings from <c>Redis:{connectionName}</c>), a <see cref="RedisCache"/>, and a health check
    /// <c>redis-{connectionName}</c> tagged <c>ready</c>. Options are validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName, Action<RedisClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var configuration = builder.Configuration;
        builder.Services.AddOptions<RedisClientOptions>()
            .Bind(configuration.GetSection($"Redis:{connectionName}"))
            .Configure(options =>
            {
                options.ConnectionString = configuration.GetConnectionString(connectionName) ?? options.ConnectionString;
                if (options.ConnectionString is { } connectionString)
                {
                    try
                    {
                        RedisConnectionString.Apply(connectionString, options);
                    }
                    catch (Exception e) when (e is FormatException or UriFormatException or ArgumentException)
                    {
                        // Reported with its configuration key by RedisClientOptionsValidator.
                    }
                }

                configure?.Invoke(options);
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RedisClientOptions>>(new RedisClientOptionsValidator(connectionName));
        builder.Services.AddSingleton(services => new Observability.Redis.RedisClient(
            services.GetRequiredService<IOptions<RedisClientOptions>>().Value,
            services.GetService<ILoggerFactory>(),
            services.GetService<IMeterFactory>(),
            services.GetService<TimeProvider>()));
        builder.Services.AddSingleton<RedisCache>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>($"redis-{connectionName}", tags: ["ready"]);
        return builder;
    }
}
