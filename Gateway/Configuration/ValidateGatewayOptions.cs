using Microsoft.Extensions.Options;
using Observability.Workflows.Runs;

namespace Observability.Gateway.Configuration;

/// <summary>Rejects Gateway settings that cannot work, naming the configuration key.</summary>
internal sealed class ValidateGatewayOptions : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (options.EventsBaseUrl is { IsAbsoluteUri: false })
        {
            failures.Add("Gateway:EventsBaseUrl must be an absolute URL.");
        }

        if (options.DashboardUrl is { IsAbsoluteUri: false })
        {
            failures.Add("Gateway:DashboardUrl must be an absolute URL.");
        }

        if (options.MaxRequestBodyBytes < WorkflowRun.MaxTaskBytes || options.MaxRequestBodyBytes > 16 * 1024 * 1024)
        {
            failures.Add($"Gateway:MaxRequestBodyBytes must be between {WorkflowRun.MaxTaskBytes} and {16 * 1024 * 1024}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
