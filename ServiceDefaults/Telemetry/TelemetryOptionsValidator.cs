using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>Rejects invalid OpenTelemetry variables at start, naming each variable at fault.</summary>
internal sealed class TelemetryOptionsValidator(IHostEnvironment environment) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        TelemetrySettings.Parse(options, environment.ApplicationName, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
