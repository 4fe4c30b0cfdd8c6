using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Observability.ServiceDefaults.Correlation;
using Observability.ServiceDefaults.Logging;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Tests.Logging;

public sealed class JsonConsoleFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    [Fact]
    public void Write_EntryWithoutActivity_TimestampFromTimeProviderAndNoTraceFields()
    {
        var entry = Format(LogLevel.Warning, "plain message", exception: null);

        Assert.Equal("2026-11-22T01:02:03.0000000Z", entry.GetProperty("timestamp").GetString());
        Assert.Equal("Warning", entry.GetProperty("level").GetString());
        Assert.Equal("Tests.Category", entry.GetProperty("category").GetString());
        Assert.Equal("plain message", entry.GetProperty("message").GetString());
        Assert.False(entry.TryGetProperty("trace_id", out _));
        Assert.False(entry.TryGetProperty("span_id", out _));
        Assert.False(entry.TryGetProperty("correlation_id", out _));
        Assert.False(entry.TryGetProperty("exception", out _));
    }

    [Fact]
    public void Write_EntryInsideActivityWithCorrelationBaggage_CarriesItsIds()
    {
        using var activity = new Activity("op").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.AddBaggage(CorrelationId.BaggageKey, "corr-1");

        var entry = Format(LogLevel.Information, "inside", exception: null);

        Assert.Equal(activity.TraceId.ToHexString(), entry.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), entry.GetProperty("span_id").GetString());
        Assert.Equal("corr-1", entry.GetProperty("correlation_id").GetString());
    }

    [Fact]
    public void Write_SecretsInMessageStateAndException_Masked()
    {
        var state = new List<KeyValuePair<string, object?>>
        {
            new("password", "hunter2"),
            new("Mail", "jane.doe@example.com"),
            new("Card", "4111-1111-1111-1111"),
            new("Count", 3),
            new("Ratio", 0.5),
            new("Flag", true),
            new("Missing", null),
            new("Items", new object[] { 1, "to jane.doe@example.com" }),
            new("{OriginalFormat}", "user {Mail} paid with {Card}"),
        };
        var exception = new InvalidOperationException("token Bearer abc123 refused");

        var entry = Format(LogLevel.Error, "user jane.doe@example.com paid with 4111-1111-1111-1111", exception, state);

        Assert.Equal("user ***@*** paid with ***", entry.GetProperty("message").GetString());
        var properties = entry.GetProperty("state");
        Assert.Equal("***", properties.GetProperty("password").GetString());
        Assert.Equal("***@***", properties.GetProperty("Mail").GetString());
        Assert.Equal(3, properties.GetProperty("Count").GetInt32());
        Assert.Equal(0.5, properties.GetProperty("Ratio").GetDouble());
        Assert.True(properties.GetProperty("Flag").GetBoolean());
        Assert.Equal(JsonValueKind.Null, properties.GetProperty("Missing").ValueKind);
        Assert.Equal("[1,\"to ***@***\"]", properties.GetProperty("Items").GetRawText());
        Assert.False(properties.TryGetProperty("{OriginalFormat}", out _));
        var error = entry.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", error.GetProperty("type").GetString());
        Assert.Equal("token Bearer *** refused", error.GetProperty("message").GetString());
        Assert.Contains("token Bearer *** refused", error.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Scopes_WrittenAsObjectsAndMaskedStrings()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var first = scopes.Push(new Dictionary<string, object?> { ["tenant"] = "t-1", ["api-key"] = "k-123" });
        using var second = scopes.Push("request from jane.doe@example.com");

        var entry = Format(LogLevel.Information, "scoped", exception: null, scopeProvider: scopes);

        var written = entry.GetProperty("scopes").EnumerateArray().ToArray();
        Assert.Equal(2, written.Length);
        Assert.Equal("t-1", written[0].GetProperty("tenant").GetString());
        Assert.Equal("***", written[0].GetProperty("api-key").GetString());
        Assert.Equal("request from ***@***", written[1].GetString());
    }

    [Fact]
    public void Write_ScopesOfMaskingScopeProvider_EverySecretMaskedOnce()
    {
        // The formatter writes the provider's strings as they come (masked already) and masks everything else itself.
        var scopes = new MaskingScopeProvider(new SensitiveDataMasker(new SensitiveDataMaskingOptions()));
        using var first = scopes.Push(new Dictionary<string, object?>
        {
            ["tenant"] = "t-1",
            ["api-key"] = "k-123",
            ["note"] = "call me at jane.doe@example.com",
            ["masked"] = "***",
            ["recipients"] = new List<string> { "ok", "bob@example.com" },
            ["uri"] = new Uri("postgres://app:S3cr3t@db.internal/orders"),
        });
        using var second = scopes.Push("request from jane.doe@example.com");

        var entry = Format(LogLevel.Information, "scoped", exception: null, scopeProvider: scopes);

        var written = entry.GetProperty("scopes").EnumerateArray().ToArray();
        Assert.Equal(2, written.Length);
        Assert.Equal("t-1", written[0].GetProperty("tenant").GetString());
        Assert.Equal("***", written[0].GetProperty("api-key").GetString());
        Assert.Equal("call me at ***@***", written[0].GetProperty("note").GetString());
        Assert.Equal("***", written[0].GetProperty("masked").GetString());
        Assert.Equal(["ok", "***@***"], written[0].GetProperty("recipients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("postgres://app:***@db.internal/orders", written[0].GetProperty("uri").GetString());
        Assert.Equal("request from ***@***", written[1].GetString());
    }

    [Fact]
    public void Write_TwoEntries_OneLineEach()
    {
        using var formatter = CreateFormatter();
        using var writer = new StringWriter();
        Write(formatter, writer, LogLevel.Information, "first\nwith a line break", null, []);
        Write(formatter, writer, LogLevel.Information, "second", null, []);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.Equal("first\nwith a line break", JsonDocument.Parse(lines[0]).RootElement.GetProperty("message").GetString());
    }

    private static JsonElement Format(
        LogLevel level,
        string message,
        Exception? exception,
        IReadOnlyList<KeyValuePair<string, object?>>? state = null,
        IExternalScopeProvider? scopeProvider = null)
    {
        using var formatter = CreateFormatter();
        using var writer = new StringWriter();
        Write(formatter, writer, level, message, exception, state ?? [], scopeProvider);
        var text = writer.ToString();
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text.TrimEnd());
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static void Write(
        JsonConsoleFormatter formatter,
        TextWriter writer,
        LogLevel level,
        string message,
        Exception? exception,
        IReadOnlyList<KeyValuePair<string, object?>> state,
        IExternalScopeProvider? scopeProvider = null)
    {
        var entry = new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(level, "Tests.Category", default, state, exception, (_, _) => message);
        formatter.Write(entry, scopeProvider, writer);
    }

    private static JsonConsoleFormatter CreateFormatter() => new(
        new StaticOptionsMonitor(new JsonConsoleFormatterOptions()),
        new FixedTimeProvider(Now),
        new SensitiveDataMasker(new SensitiveDataMaskingOptions()));

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class StaticOptionsMonitor(JsonConsoleFormatterOptions value) : IOptionsMonitor<JsonConsoleFormatterOptions>
    {
        public JsonConsoleFormatterOptions CurrentValue => value;

        public JsonConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<JsonConsoleFormatterOptions, string?> listener) => null;
    }
}
