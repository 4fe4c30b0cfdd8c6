namespace Observability.Deploy.ManifestTool;

/// <summary>What every generated file shares.</summary>
internal static class Generated
{
    public const string Header =
        "# Generated from the Aspire manifest by deploy/ManifestTool (see docs/deploy.md). Do not edit: regenerate.\n";

    /// <summary>A parameter's name as an environment variable: <c>event-ticket-key</c> → <c>EVENT_TICKET_KEY</c>.</summary>
    public static string EnvironmentName(string parameter) =>
        parameter.Replace('-', '_').Replace('.', '_').ToUpperInvariant();
}
