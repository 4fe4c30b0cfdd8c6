using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Logging;

/// <summary>
/// Writes each log entry as one JSON object on one line: <c>timestamp</c>, <c>level</c>, <c>category</c>,
/// <c>event_id</c>, <c>message</c>, <c>exception</c>, <c>trace_id</c>, <c>span_id</c>, <c>correlation_id</c>,
/// <c>state</c> (the structured properties) and <c>scopes</c>, every string masked. Fields without a value
/// (no exception, no current activity, no correlation ID) are left out.
/// </summary>
internal sealed class JsonConsoleFormatter : ConsoleFormatter, IDisposable
{
    /// <summary>The name to put in <c>Logging:Console:FormatterName</c>.</summary>
    public const string FormatterName = "observability-json";

    private const string OriginalFormatKey = MessageTemplate.OriginalFormatKey;
    private const int MaxRetainedBufferBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Log lines are read by people and log shippers, never embedded in HTML: keep non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly TimeProvider _timeProvider;
    private readonly SensitiveDataMasker _masker;
    private readonly IDisposable? _optionsReloadToken;
    private JsonConsoleFormatterOptions _options;

    public JsonConsoleFormatter(IOptionsMonitor<JsonConsoleFormatterOptions> options, TimeProvider timeProvider, SensitiveDataMasker masker)
        : base(FormatterName)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _masker = masker;
        _options = options.CurrentValue;
        _optionsReloadToken = options.OnChange(updated => _options = updated);
    }

    public void Dispose() => _optionsReloadToken?.Dispose();

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            WriteEntry(writer, logEntry, message, scopeProvider);
            writer.Flush();
            WriteUtf8Line(buffer.WrittenSpan, textWriter);
        }
        finally
        {
            if (buffer.Capacity > MaxRetainedBufferBytes)
            {
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private void WriteEntry<TState>(Utf8JsonWriter writer, in LogEntry<TState> logEntry, string? message, IExternalScopeProvider? scopeProvider)
    {
        writer.WriteStartObject();
        WriteTimestamp(writer, _timeProvider.GetUtcNow());
        writer.WriteString("level", LevelName(logEntry.LogLevel));
        writer.WriteString("category", logEntry.Category);
        if (logEntry.EventId.Id != 0)
        {
            writer.WriteNumber("event_id", logEntry.EventId.Id);
        }

        if (!string.IsNullOrEmpty(logEntry.EventId.Name))
        {
            writer.WriteString("event_name", logEntry.EventId.Name);
        }

        writer.WriteString("message", message is null ? string.Empty : _masker.MaskMessage(message, logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>));

        if (logEntry.Exception is { } exception)
        {
            writer.WriteStartObject("exception");
            writer.WriteString("type", exception.GetType().FullName);
            writer.WriteString("message", _masker.MaskText(exception.Message));
            writer.WriteString("stack_trace", _masker.MaskText(exception.ToString()));
            writer.WriteEndObject();
        }

        if (Activity.Current is { } activity)
        {
            writer.WriteString("trace_id", activity.TraceId.ToHexString());
            writer.WriteString("span_id", activity.SpanId.ToHexString());
        }

        if (CorrelationId.Current is { } correlationId)
        {
            writer.WriteString("correlation_id", _masker.MaskText(correlationId));
        }

        if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> state && HasProperties(state))
        {
            writer.WriteStartObject("state");
            WriteProperties(writer, state);
            writer.WriteEndObject();
        }

        if (_options.IncludeScopes && scopeProvider is not null)
        {
            writer.WriteStartArray("scopes");
            // The logger factory's MaskingScopeProvider hands out scopes whose strings are masked already.
            scopeProvider.ForEachScope(WriteScope, (this, writer, scopeProvider is MaskingScopeProvider));
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteScope(object? scope, (JsonConsoleFormatter Formatter, Utf8JsonWriter Writer, bool StringsMasked) state)
    {
        var (formatter, writer, stringsMasked) = state;
        if (scope is IEnumerable<KeyValuePair<string, object?>> properties)
        {
            writer.WriteStartObject();
            formatter.WriteProperties(writer, properties, stringsMasked);
            writer.WriteEndObject();
        }
        else if (stringsMasked && scope is string text)
        {
            writer.WriteStringValue(text);
        }
        else if (scope is not null)
        {
            formatter.WriteValue(writer, scope);
        }
    }

    private static bool HasProperties(IReadOnlyList<KeyValuePair<string, object?>> state)
    {
        for (var i = 0; i < state.Count; i++)
        {
            if (state[i].Key != OriginalFormatKey)
            {
                return true;
            }
        }

        return false;
    }

    // stringsMasked: string values come masked already (by the MaskingScopeProvider: whole values of sensitive keys
    // and secrets inside strings), so they are written as they are; any other value is masked here as always.
    private void WriteProperties(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> properties, bool stringsMasked = false)
    {
        if (properties is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            // Indexing avoids boxing an enumerator for the common case (logging state is a list).
            for (var i = 0; i < list.Count; i++)
            {
                WriteProperty(writer, list[i], stringsMasked);
            }

            return;
        }

        foreach (var property in properties)
        {
            WriteProperty(writer, property, stringsMasked);
        }
    }

    private void WriteProperty(Utf8JsonWriter writer, KeyValuePair<string, object?> property, bool stringsMasked)
    {
        var (key, value) = property;
        if (key == OriginalFormatKey || string.IsNullOrEmpty(key))
        {
            return;
        }

        writer.WritePropertyName(key);
        if (stringsMasked && value is string text)
        {
            writer.WriteStringValue(text);
        }
        else if (value is not null && _masker.IsSensitiveKey(key))
        {
            writer.WriteStringValue(SensitiveDataMasker.Mask);
        }
        else
        {
            WriteValue(writer, value);
        }
    }

    private void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(_masker.MaskText(text));
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case short or ushort or uint or byte or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong number:
                writer.WriteNumberValue(number);
                break;
            case DateTime dateTime:
                writer.WriteStringValue(dateTime);
                break;
            case DateTimeOffset dateTimeOffset:
                writer.WriteStringValue(dateTimeOffset);
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(_masker.MaskText(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                break;
        }
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset now)
    {
        Span<byte> text = stackalloc byte[32];
        now.UtcDateTime.TryFormat(text, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("timestamp"u8, text[..written]);
    }

    private static void WriteUtf8Line(ReadOnlySpan<byte> utf8, TextWriter textWriter)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, chars);
            textWriter.Write(chars, 0, count);
            textWriter.Write(Environment.NewLine);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        LogLevel.Critical => "Critical",
        _ => "None",
    };
}
