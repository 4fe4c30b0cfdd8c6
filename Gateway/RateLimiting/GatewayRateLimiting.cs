using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Observability.Gateway.RateLimiting;

/// <summary>
/// A token bucket per client (<c>X-Api-Key</c> header, else the remote IP address). A rejected request gets 429
/// problem details with <c>Retry-After</c> (seconds until the bucket has a token again).
/// </summary>
internal static class GatewayRateLimiting
{
    public const string PolicyName = "per-client";

    public const string ApiKeyHeader = "X-Api-Key";

    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<GatewayRateLimitOptions>().BindConfiguration(GatewayRateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayRateLimitOptions>, ValidateGatewayRateLimitOptions>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<GatewayRateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TokenLimit,
                    TokensPerPeriod = options.TokensPerPeriod,
                    ReplenishmentPeriod = options.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>The client a request counts against.</summary>
    internal static string PartitionKey(HttpContext context)
    {
        var apiKey = context.Request.Headers[ApiKeyHeader].ToString();
        if (apiKey.Length is > 0 and <= 256)
        {
            return "key:" + apiKey;
        }

        return "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : context.RequestServices.GetRequiredService<IOptions<GatewayRateLimitOptions>>().Value.ReplenishmentPeriod;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"Retry after {seconds} s.",
            },
        }).ConfigureAwait(false);
    }
}
