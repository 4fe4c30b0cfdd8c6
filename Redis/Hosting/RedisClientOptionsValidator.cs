using Microsoft.Extensions.Options;
using Observability.Redis.Configuration;

namespace Observability.Redis.Hosting;

/// <summary>Checks the bound options at start and names the configuration key at fault.</summary>
internal sealed class RedisClientOptionsValidator(string connectionName) : IValidateOptions<RedisClientOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisClientOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"Redis client '{connectionName}': set ConnectionStrings:{connectionName} (or Redis:{connectionName}:ConnectionString).");
        }

        try
        {
            _ = RedisClientOptions.Parse(options.ConnectionString);
        }
        catch (Exception e) when (e is FormatException or UriFormatException or ArgumentException)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:{connectionName} is not a valid Redis connection string: {e.Message}");
        }

        return options.Validate() is { } problem
            ? ValidateOptionsResult.Fail($"Redis:{connectionName}: {problem}")
            : ValidateOptionsResult.Success;
    }
}
