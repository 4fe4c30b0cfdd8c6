using Microsoft.Extensions.Logging;

namespace Observability.Dashboard.Tests;

/// <summary>Log messages the tests send through the real OpenTelemetry logging pipeline.</summary>
internal static partial class TestLog
{
    [LoggerMessage(1, LogLevel.Warning, "Card {CardId} declined")]
    public static partial void CardDeclined(ILogger logger, string cardId);

    [LoggerMessage(2, LogLevel.Information, "Routine message")]
    public static partial void Routine(ILogger logger);
}
