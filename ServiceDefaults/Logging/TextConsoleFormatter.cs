using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Logging;

/// <summary>
/// Development's console format: one readable line per entry, masked like the JSON format, e.g.
/// <c>2026-11-22T10:15:02.123Z info Gateway.Api[12] Run 42 queued trace=4bf9… corr=order-42</c>,
/// followed by the masked exception when there is one.
/// </summary>
internal sealed class TextConsoleFormatter(TimeProvider timeProvider, SensitiveDataMasker masker)
    : ConsoleFormatter(FormatterName)
{
    /// <summary>The name to put in <c>Logging:Console:FormatterName</c>.</summary>
    public const string FormatterName = "observability-text";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(LevelName(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        if (message is not null)
        {
            // One entry, one line: a multi-line message is folded so log readers keep entries apart.
            textWriter.Write(masker.MaskMessage(message, logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>).ReplaceLineEndings(" "));
        }

        if (Activity.Current is { } activity)
        {
            textWriter.Write(" trace=");
            textWriter.Write(activity.TraceId.ToHexString());
        }

        if (CorrelationId.Current is { } correlationId)
        {
            textWriter.Write(" corr=");
            textWriter.Write(masker.MaskText(correlationId));
        }

        textWriter.Write(Environment.NewLine);
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(masker.MaskText(exception.ToString()));
            textWriter.Write(Environment.NewLine);
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
