using Microsoft.Extensions.Options;

namespace Observability.Workflows.Tickets;

/// <summary>Checks <see cref="EventTicketOptions"/> at start-up and names the configuration key at fault.</summary>
internal sealed class ValidateEventTicketOptions : IValidateOptions<EventTicketOptions>
{
    public const int MinKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, EventTicketOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SigningKey) || options.SigningKey.Length < MinKeyLength)
        {
            failures.Add($"{EventTicketOptions.SectionName}:SigningKey is required and must be at least {MinKeyLength} characters: "
                + "the key the Gateway signs event tickets with and the WebSocketHub verifies them with (the AppHost generates one).");
        }

        if (options.Lifetime < TimeSpan.FromSeconds(1) || options.Lifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{EventTicketOptions.SectionName}:Lifetime must be between 00:00:01 and 1.00:00:00 (was {options.Lifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
