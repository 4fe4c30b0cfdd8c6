using Microsoft.Extensions.Options;

namespace Observability.WebSocketHub.Configuration;

/// <summary>Checks <see cref="WebSocketHubOptions"/> at start-up and names the configuration key at fault.</summary>
internal sealed class ValidateWebSocketHubOptions : IValidateOptions<WebSocketHubOptions>
{
    public ValidateOptionsResult Validate(string? name, WebSocketHubOptions options)
    {
        var failures = new List<string>();
        const string Section = WebSocketHubOptions.SectionName;
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                failures.Add($"{Section}:AllowedOrigins must hold origins such as https://app.example.com (scheme, host, optional port, no path); '{origin}' is not one.");
            }
        }

        CheckDuration(failures, "HeartbeatInterval", options.HeartbeatInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        CheckDuration(failures, "KeepAliveInterval", options.KeepAliveInterval, TimeSpan.Zero, TimeSpan.FromHours(1));
        CheckDuration(failures, "SendTimeout", options.SendTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        CheckDuration(failures, "CloseTimeout", options.CloseTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        CheckDuration(failures, "RunStateTimeout", options.RunStateTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        CheckDuration(failures, "EventLagTolerance", options.EventLagTolerance, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        CheckRange(failures, "MaxMessageBytes", options.MaxMessageBytes, 256, 1024 * 1024);
        CheckRange(failures, "MaxQueuedMessages", options.MaxQueuedMessages, 2, 1_000_000);
        CheckRange(failures, "MaxSubscriptionsPerConnection", options.MaxSubscriptionsPerConnection, 1, 10_000);
        CheckRange(failures, "MaxProtocolErrors", options.MaxProtocolErrors, 0, 10_000);
        CheckRange(failures, "ReplayPageSize", options.ReplayPageSize, 1, 10_000);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckDuration(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{WebSocketHubOptions.SectionName}:{key} must be between {min} and {max} (was {value}).");
        }
    }

    private static void CheckRange(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{WebSocketHubOptions.SectionName}:{key} must be between {min} and {max} (was {value}).");
        }
    }
}
